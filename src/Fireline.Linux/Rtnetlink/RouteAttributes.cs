namespace Fireline.Linux.Rtnetlink;

/// <summary>RTA_* attribute numbers and rtmsg flags (linux/rtnetlink.h).</summary>
internal static class Rta
{
    public const ushort Destination = 1;
    public const ushort OutputInterface = 4;
    public const ushort Gateway = 5;
    public const ushort Priority = 6;
    public const ushort PreferredSource = 7;
    public const ushort Table = 15;

    /// <summary>RTM_F_CLONED: a cache entry, not a configured route.</summary>
    public const uint FlagCloned = 0x200;

    /// <summary>RTM_F_LOOKUP_TABLE: a route lookup reports the table the route was found in.</summary>
    public const uint FlagLookupTable = 0x1000;
}
