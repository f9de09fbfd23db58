namespace Fireline.Linux.Netlink;

/// <summary>nlmsghdr flags (linux/netlink.h).</summary>
[Flags]
internal enum NetlinkFlags : ushort
{
    None = 0,
    Request = 0x1,
    Multi = 0x2,
    Ack = 0x4,
    Echo = 0x8,
    DumpInterrupted = 0x10,
    Root = 0x100,
    Match = 0x200,
    Dump = Root | Match,
    Replace = 0x100,
    Exclusive = 0x200,
    Create = 0x400,
    Append = 0x800,
}
