using System.Net;
using System.Net.Sockets;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// A neighbour (ARP/NDP) entry, as given to <see cref="Neighbours.Add"/> or read back by
/// <see cref="Neighbours.List"/> (<c>ip neigh show</c>). New entries are permanent unless told otherwise.
/// </summary>
public sealed record Neighbour
{
    public Neighbour(int linkIndex, IPAddress address)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        LinkIndex = linkIndex;
        Address = address;
    }

    public int LinkIndex { get; }

    /// <summary>The IP address (NDA_DST).</summary>
    public IPAddress Address { get; }

    public AddressFamily Family => Address.AddressFamily;

    /// <summary>The link-layer address it resolves to (NDA_LLADDR); none for proxy and incomplete entries.</summary>
    public MacAddress? LinkLayerAddress { get; init; }

    public NeighbourState State { get; init; } = NeighbourState.Permanent;

    public NeighbourFlags Flags { get; init; }

    public bool IsProxy => (Flags & NeighbourFlags.Proxy) != 0;

    /// <summary>A proxy entry: the link answers for <paramref name="address"/>. <c>ip neigh add proxy ADDRESS dev LINK</c></summary>
    public static Neighbour Proxy(int linkIndex, IPAddress address) => new(linkIndex, address) { Flags = NeighbourFlags.Proxy };
}
