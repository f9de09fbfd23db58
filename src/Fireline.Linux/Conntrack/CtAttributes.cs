namespace Fireline.Linux.Conntrack;

/// <summary>nfnetlink framing for ctnetlink (linux/netfilter/nfnetlink.h, nfnetlink_conntrack.h).</summary>
internal static class Ctnl
{
    private const ushort SubsysCtnetlink = 1;

    public const ushort MsgGet = (SubsysCtnetlink << 8) | 1;
    public const ushort MsgDelete = (SubsysCtnetlink << 8) | 2;
    public const ushort MsgGetStats = (SubsysCtnetlink << 8) | 5;

    public const byte AfUnspec = 0;
    public const byte AfInet = 2;
    public const byte AfInet6 = 10;
}

/// <summary>CTA_* (enum ctattr_type).</summary>
internal static class Cta
{
    public const ushort TupleOrig = 1;
    public const ushort TupleReply = 2;
    public const ushort Status = 3;
    public const ushort Mark = 8;
    public const ushort Id = 12;
    public const ushort Zone = 18;
    public const ushort Filter = 25;

    public const ushort TupleIp = 1;
    public const ushort TupleProto = 2;

    public const ushort IpV4Src = 1;
    public const ushort IpV4Dst = 2;
    public const ushort IpV6Src = 3;
    public const ushort IpV6Dst = 4;

    public const ushort ProtoNum = 1;
    public const ushort ProtoSrcPort = 2;
    public const ushort ProtoDstPort = 3;
    public const ushort ProtoIcmpId = 4;
    public const ushort ProtoIcmpType = 5;
    public const ushort ProtoIcmpCode = 6;
    public const ushort ProtoIcmpV6Id = 7;
    public const ushort ProtoIcmpV6Type = 8;
    public const ushort ProtoIcmpV6Code = 9;

    public const ushort FilterOrigFlags = 1;
    public const ushort FilterReplyFlags = 2;

    // CTA_FILTER_F_CTA_IP_SRC/DST: kernel-internal bits (net/netfilter/nf_conntrack_netlink.c), not in uapi.
    public const uint FilterIpSource = 1 << 0;
    public const uint FilterIpDestination = 1 << 1;

    public const ushort StatsGlobalEntries = 1;
}
