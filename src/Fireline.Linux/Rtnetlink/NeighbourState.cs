namespace Fireline.Linux.Rtnetlink;

/// <summary>NUD_* (linux/neighbour.h): the state of a neighbour entry.</summary>
[Flags]
public enum NeighbourState : ushort
{
    None = 0x00,
    Incomplete = 0x01,
    Reachable = 0x02,
    Stale = 0x04,
    Delay = 0x08,
    Probe = 0x10,
    Failed = 0x20,

    /// <summary>No resolution needed (point-to-point, multicast).</summary>
    NoArp = 0x40,

    /// <summary>Set by hand and never expires or gets probed: <c>nud permanent</c>.</summary>
    Permanent = 0x80,
}
