namespace Fireline.Linux.Netlink;

/// <summary>Wire constants from linux/netlink.h.</summary>
internal static class NetlinkConstants
{
    public const int HeaderSize = 16;
    public const int AttributeHeaderSize = 4;
    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;
    public const ushort NLA_F_NESTED = 0x8000;
    public const ushort NLA_TYPE_MASK = 0x3fff;

    // Error-message flags (the ack's nlmsghdr flags).
    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLM_F_ACK_TLVS = 0x200;

    // Extended-ack attributes (enum nlmsgerr_attrs).
    public const ushort NLMSGERR_ATTR_MSG = 1;
    public const ushort NLMSGERR_ATTR_OFFS = 2;

    // Socket options (SOL_NETLINK).
    public const int SOL_NETLINK = 270;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;
    public const int NETLINK_GET_STRICT_CHK = 12;

    public static int Align(int length) => (length + 3) & ~3;
}
