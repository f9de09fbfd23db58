namespace Fireline.Linux.Rtnetlink;

/// <summary>NTF_* (linux/neighbour.h).</summary>
[Flags]
public enum NeighbourFlags : byte
{
    None = 0x00,
    Use = 0x01,
    Self = 0x02,
    Master = 0x04,

    /// <summary>A proxy entry: the link answers ARP/ND for the address on behalf of another host.</summary>
    Proxy = 0x08,
    ExternLearned = 0x10,
    Offloaded = 0x20,
    Sticky = 0x40,
    Router = 0x80,
}
