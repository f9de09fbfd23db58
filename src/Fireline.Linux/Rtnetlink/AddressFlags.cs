namespace Fireline.Linux.Rtnetlink;

/// <summary>IFA_F_* (linux/if_addr.h). The low byte travels in ifaddrmsg, the rest only in IFA_FLAGS.</summary>
[Flags]
public enum AddressFlags : uint
{
    None = 0,
    Secondary = 0x01,

    /// <summary><c>nodad</c>: IPv6 skips duplicate address detection, so the address is usable at once.</summary>
    NoDad = 0x02,
    Optimistic = 0x04,
    DadFailed = 0x08,
    HomeAddress = 0x10,
    Deprecated = 0x20,
    Tentative = 0x40,
    Permanent = 0x80,
    ManageTempAddress = 0x100,

    /// <summary><c>noprefixroute</c>: the kernel adds no route for the address's prefix.</summary>
    NoPrefixRoute = 0x200,
    McAutoJoin = 0x400,
    StablePrivacy = 0x800,
}
