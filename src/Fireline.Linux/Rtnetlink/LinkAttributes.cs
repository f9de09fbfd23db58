namespace Fireline.Linux.Rtnetlink;

/// <summary>IFLA_* attribute numbers (linux/if_link.h).</summary>
internal static class Ifla
{
    public const ushort Address = 1;
    public const ushort IfName = 3;
    public const ushort Mtu = 4;
    public const ushort Link = 5;
    public const ushort Master = 10;
    public const ushort ProtInfo = 12;
    public const ushort TxQueueLength = 13;
    public const ushort OperState = 16;
    public const ushort LinkInfo = 18;
    public const ushort IfAlias = 20;
    public const ushort Stats64 = 23;
    public const ushort AfSpec = 26;
    public const ushort NetNsFd = 28;
    public const ushort ExtMask = 29;
    public const ushort Carrier = 33;
    public const ushort LinkNetNsId = 37;
    public const ushort TargetNetNsId = 46;

    public const ushort InfoKind = 1;
    public const ushort InfoData = 2;
    public const ushort InfoSlaveKind = 4;

    public const ushort VethInfoPeer = 1;

    public const ushort TunOwner = 1;
    public const ushort TunGroup = 2;

    public const ushort VlanId = 1;

    public const ushort BridgePortLearning = 8;
    public const ushort BridgePortNeighSuppress = 32;
    public const ushort BridgePortIsolated = 33;

    /// <summary>RTEXT_FILTER_SKIP_STATS: leave the big stats blocks out of dumps that don't need them.</summary>
    public const uint ExtFilterSkipStats = 1 << 3;

    /// <summary>IFALIASZ: an alias is shorter than this many bytes.</summary>
    public const int AliasSize = 256;
}

/// <summary>Interface flags (linux/if.h).</summary>
[Flags]
public enum InterfaceFlags : uint
{
    None = 0,
    Up = 0x1,
    Broadcast = 0x2,
    Loopback = 0x8,
    PointToPoint = 0x10,
    Running = 0x40,
    NoArp = 0x80,
    Promiscuous = 0x100,
    Multicast = 0x1000,
    LowerUp = 0x10000,
}
