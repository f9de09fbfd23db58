using System.Text.Json.Serialization;
using Fireline.Addressing;
using Fireline.Policy;

namespace Fireline.State;

/// <summary>
/// A network as declared: its subnet (gateway = first address), its bridge on the host, and whether its
/// traffic is masqueraded out of the uplink. Compared by value to decide whether an apply changes anything.
/// </summary>
public sealed record NetworkSpec
{
    public required string Name { get; init; }

    /// <summary>IPv4 subnet (10.100.0.0/16); the state file keeps its CIDR text.</summary>
    public required Ipv4Network Subnet { get; init; }

    public required string Bridge { get; init; }

    public bool Nat { get; init; } = true;

    /// <summary>DNS servers handed to guests in the boot argument (at most two are used).</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];

    /// <summary>IPv6 prefix for dual stack (<c>fd00:101::/64</c>); null: IPv4 only.</summary>
    public Ipv6Prefix? Ipv6 { get; init; }

    /// <summary>802.1Q id the network's traffic carries on the uplink; null for untagged.</summary>
    public int? Vlan { get; init; }

    /// <summary>
    /// The VMs' gateway (the subnet's first address, and the IPv6 prefix's) is a router on the network's VLAN, outside
    /// the host: the bridge holds no address of the network. Only with <see cref="Vlan"/>. Left out of the state
    /// file when false, so a network without it is stored as before.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool GatewayOutside { get; init; }

    /// <summary>The network's policy: first match wins, then the direction's default.</summary>
    public IReadOnlyList<PolicyRule> Policies { get; init; } = [];

    public PolicyAction DefaultIngress { get; init; } = PolicyAction.Allow;

    public PolicyAction DefaultEgress { get; init; } = PolicyAction.Allow;

    /// <summary>Who enforces VM rate limits: the VMM's own token buckets, or tc on the host side.</summary>
    public RateLimiterKind RateLimiter { get; init; } = RateLimiterKind.Firecracker;

    /// <summary>Whether guests get Firecracker's metadata service (MMDS) on attach.</summary>
    public bool Metadata { get; init; }

    /// <summary>
    /// Ready slots the network's warm pool keeps (<see cref="PoolSlot"/>); 0, the default, keeps none. Left out of the
    /// state file when 0, so a network without a pool is stored as before.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Pool { get; init; }

    public bool Equals(NetworkSpec? other)
        => other is not null && Name == other.Name && Subnet == other.Subnet && Bridge == other.Bridge && Nat == other.Nat &&
           Dns.SequenceEqual(other.Dns) && Ipv6 == other.Ipv6 && Vlan == other.Vlan && GatewayOutside == other.GatewayOutside && Policies.SequenceEqual(other.Policies) &&
           DefaultIngress == other.DefaultIngress && DefaultEgress == other.DefaultEgress && RateLimiter == other.RateLimiter &&
           Metadata == other.Metadata && Pool == other.Pool;

    public override int GetHashCode() => HashCode.Combine(Name, Subnet, Bridge, Nat);
}

/// <summary>How a network enforces its VMs' rate limits.</summary>
public enum RateLimiterKind
{
    /// <summary>Firecracker's token buckets (set on attach): the default.</summary>
    [JsonStringEnumMemberName("firecracker")]
    Firecracker,

    /// <summary>tc token-bucket filters on the VM's devices, for VMMs without limiters.</summary>
    [JsonStringEnumMemberName("tc")]
    Tc,
}
