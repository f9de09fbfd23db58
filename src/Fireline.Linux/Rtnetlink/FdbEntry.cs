using System.Net;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// A forwarding-database entry: frames for <see cref="Mac"/> leave by the link. In a bridge's own table
/// (<see cref="FdbTable.Bridge"/>, <c>master</c>) the link is the port; in a VXLAN device's table
/// (<see cref="FdbTable.Device"/>, <c>self</c>) the <see cref="Destination"/> is the remote tunnel endpoint, and
/// the all-zeros MAC (<see cref="AllZeros"/>) is where broadcast and unknown
/// frames are copied, one entry per remote endpoint. Entries made here are static: never learned, never aged.
/// </summary>
public sealed record FdbEntry
{
    public FdbEntry(int linkIndex, MacAddress mac, FdbTable table)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        LinkIndex = linkIndex;
        Mac = mac;
        Table = table;
    }

    /// <summary>The MAC of a VXLAN device's default entries (broadcast, multicast, unknown unicast).</summary>
    public static MacAddress AllZeros { get; } = MacAddress.FromBytes(new byte[MacAddress.Length]);

    public int LinkIndex { get; }

    public MacAddress Mac { get; }

    public FdbTable Table { get; }

    /// <summary>The remote tunnel endpoint (NDA_DST) of a VXLAN device's entry; null in a bridge's table.</summary>
    public IPAddress? Destination { get; init; }

    /// <summary>The entry's state as read back (NUD_*): static entries carry <see cref="NeighbourState.NoArp"/> or <see cref="NeighbourState.Permanent"/>.</summary>
    public NeighbourState State { get; init; }
}

/// <summary>Which table an entry lives in: the bridge's (NTF_MASTER, <c>master</c>) or the device's own (NTF_SELF, <c>self</c>).</summary>
public enum FdbTable
{
    Bridge,
    Device,
}
