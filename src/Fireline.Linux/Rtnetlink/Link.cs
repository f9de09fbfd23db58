namespace Fireline.Linux.Rtnetlink;

/// <summary>A link as the kernel reports it (<c>ip -d link show</c>).</summary>
public sealed record Link
{
    public required int Index { get; init; }

    public required string Name { get; init; }

    /// <summary>IFLA_INFO_KIND: "veth", "bridge", "tun", ...; null for physical devices and loopback.</summary>
    public string? Kind { get; init; }

    /// <summary>IFLA_INFO_SLAVE_KIND: "bridge" when the link is a bridge port.</summary>
    public string? PortKind { get; init; }

    public MacAddress? Address { get; init; }

    public int Mtu { get; init; }

    public InterfaceFlags Flags { get; init; }

    /// <summary>The index of the bridge (or other master) the link is enslaved to.</summary>
    public int? MasterIndex { get; init; }

    /// <summary>IFLA_LINK: for a veth, its peer's index (in the peer's namespace).</summary>
    public int? ParentIndex { get; init; }

    /// <summary>IFLA_LINK_NETNSID: the id, in this namespace, of the namespace the peer/parent lives in.</summary>
    public int? LinkNamespaceId { get; init; }

    public OperationalState OperationalState { get; init; }

    /// <summary>IFLA_IFALIAS: the free-text alias (<c>ip link set NAME alias TEXT</c>); null when none is set.</summary>
    public string? Alias { get; init; }

    public bool? Carrier { get; init; }

    /// <summary>IFLA_TUN_OWNER: for a TUN/TAP device, the uid that may attach without CAP_NET_ADMIN; null when none is set.</summary>
    public uint? TunOwner { get; init; }

    /// <summary>IFLA_TUN_GROUP: for a TUN/TAP device, the gid whose members may attach without CAP_NET_ADMIN; null when none is set.</summary>
    public uint? TunGroup { get; init; }

    /// <summary>IFLA_VLAN_ID: for an 802.1Q device, its VLAN id (its parent is <see cref="ParentIndex"/>); null otherwise.</summary>
    public int? VlanId { get; init; }

    /// <summary>64-bit counters; null when the dump skipped them.</summary>
    public LinkStatistics? Statistics { get; init; }

    public bool IsUp => (Flags & InterfaceFlags.Up) != 0;
}

/// <summary>IF_OPER_* (RFC 2863 operational state).</summary>
public enum OperationalState : byte
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}
