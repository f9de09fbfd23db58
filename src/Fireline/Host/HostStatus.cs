namespace Fireline.Host;

/// <summary>What is set up on the host (<c>fireline host status</c>).</summary>
public sealed record HostStatus
{
    public required bool Initialized { get; init; }

    public string? Uplink { get; init; }

    public bool Nat { get; init; }

    /// <summary>net.ipv4.ip_forward in the host namespace.</summary>
    public bool Forwarding { get; init; }

    /// <summary>Whether Fireline's nftables table is present in the host namespace.</summary>
    public bool FirewallTable { get; init; }

    public required IReadOnlyList<NetworkStatus> Networks { get; init; }
}

/// <summary>One network's configuration and use.</summary>
public sealed record NetworkStatus
{
    public required string Name { get; init; }

    public required string Subnet { get; init; }

    public required string Gateway { get; init; }

    public required string Bridge { get; init; }

    /// <summary>The IPv6 prefix of a dual-stack network; null for IPv4 only.</summary>
    public string? Ipv6 { get; init; }

    public bool BridgeUp { get; init; }

    public bool Nat { get; init; }

    /// <summary>Addresses leased to VMs.</summary>
    public int Vms { get; init; }

    /// <summary>Addresses VMs can get in all (subnet size minus network, gateway, broadcast).</summary>
    public long Capacity { get; init; }
}
