using Fireline.Policy;

namespace Fireline.Networks;

/// <summary>A network as <c>network list|show</c> prints it: its declaration and its use.</summary>
public sealed record NetworkView
{
    public required string Name { get; init; }

    public required string Subnet { get; init; }

    public required string Gateway { get; init; }

    public required string Bridge { get; init; }

    public string? Ipv6 { get; init; }

    public int? Vlan { get; init; }

    /// <summary>The gateway is a router on the network's VLAN, not the host's bridge.</summary>
    public bool GatewayOutside { get; init; }

    public bool Nat { get; init; }

    public IReadOnlyList<string> Dns { get; init; } = [];

    public PolicyAction DefaultIngress { get; init; }

    public PolicyAction DefaultEgress { get; init; }

    public string RateLimiter { get; init; } = "firecracker";

    public bool Metadata { get; init; }

    public IReadOnlyList<PolicyRule> Policies { get; init; } = [];

    /// <summary>VMs on the network (leased addresses).</summary>
    public int Vms { get; init; }

    /// <summary>Addresses VMs can get in all.</summary>
    public long Capacity { get; init; }

    /// <summary>The warm pool: slots it keeps ready (the network's <c>pool</c>) and how many are ready now.</summary>
    public PoolView Pool { get; init; } = new(0, 0);
}
