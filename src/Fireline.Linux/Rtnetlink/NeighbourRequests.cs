using System.Net.Sockets;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// Builds neighbour messages into a <see cref="NetlinkRequest"/>, so several can go to the kernel in one send.
/// <see cref="Neighbours"/> wraps each in a single-message exchange.
/// </summary>
internal static class NeighbourRequests
{
    /// <summary><c>ip neigh add [proxy] ADDRESS [lladdr MAC] dev LINK [nud STATE]</c></summary>
    public static NetlinkRequest Add(NetlinkRequest request, Neighbour neighbour)
        => Message(request, RtnlMessageType.NewNeigh, NetlinkFlags.Create | NetlinkFlags.Exclusive | NetlinkFlags.Ack, "add", neighbour);

    /// <summary><c>ip neigh replace [proxy] ADDRESS [lladdr MAC] dev LINK [nud STATE]</c></summary>
    public static NetlinkRequest Replace(NetlinkRequest request, Neighbour neighbour)
        => Message(request, RtnlMessageType.NewNeigh, NetlinkFlags.Create | NetlinkFlags.Replace | NetlinkFlags.Ack, "replace", neighbour);

    /// <summary><c>ip neigh del [proxy] ADDRESS dev LINK</c></summary>
    public static NetlinkRequest Delete(NetlinkRequest request, Neighbour neighbour)
        => Message(request, RtnlMessageType.DelNeigh, NetlinkFlags.Ack, "del", neighbour);

    /// <summary><c>ip [-4|-6] neigh show [proxy] [dev LINK]</c></summary>
    public static NetlinkRequest List(NetlinkRequest request, AddressFamily family, int? linkIndex, bool proxies)
    {
        var text = (family switch
        {
            AddressFamily.InterNetwork => "ip -4 neigh show",
            AddressFamily.InterNetworkV6 => "ip -6 neigh show",
            _ => "ip neigh show",
        }) + (proxies ? " proxy" : "") + (linkIndex is { } shown ? $" dev {shown}" : "");
        // The kernel reads ndm_flags == NTF_PROXY as "dump the proxy table" and NDA_IFINDEX as a link filter.
        request.Begin(RtnlMessageType.GetNeigh, NetlinkFlags.Dump, text, KernelObjectKind.Neighbour, null)
            .Struct(new NdMsg { Family = InetAddresses.Family(family), Flags = proxies ? (byte)NeighbourFlags.Proxy : (byte)0 });
        if (linkIndex is { } index)
        {
            request.U32(Nda.InterfaceIndex, (uint)index);
        }

        return request.End();
    }

    /// <summary>
    /// Reads an RTM_NEWNEIGH reply; null for families other than IPv4 and IPv6 (the bridge's FDB), and for proxy
    /// entries that answer on every link (no index), which no <see cref="Neighbour"/> can describe.
    /// </summary>
    public static Neighbour? Parse(NetlinkMessage message)
    {
        var header = message.Header<NdMsg>();
        if (InetAddresses.FromFamily(header.Family) is null || header.Index <= 0)
        {
            return null;
        }

        System.Net.IPAddress? address = null;
        MacAddress? linkLayerAddress = null;
        foreach (var attribute in message.Attributes<NdMsg>())
        {
            switch (attribute.Type)
            {
                case Nda.Destination: address = InetAddresses.Read(attribute.Value); break;
                case Nda.LinkLayerAddress when attribute.Value.Length == MacAddress.Length: linkLayerAddress = MacAddress.FromBytes(attribute.Value); break;
            }
        }

        return address is null ? null : new Neighbour(header.Index, address)
        {
            LinkLayerAddress = linkLayerAddress,
            State = (NeighbourState)header.State,
            Flags = (NeighbourFlags)header.Flags,
        };
    }

    private static NetlinkRequest Message(NetlinkRequest request, ushort type, NetlinkFlags flags, string verb, Neighbour neighbour)
    {
        var text = $"ip neigh {verb}" + (neighbour.IsProxy ? " proxy " : " ") + neighbour.Address +
                   (neighbour.LinkLayerAddress is { } mac && type == RtnlMessageType.NewNeigh ? $" lladdr {mac}" : "") +
                   $" dev {neighbour.LinkIndex}" +
                   (neighbour.IsProxy || type != RtnlMessageType.NewNeigh ? "" : $" nud {IprouteText.Name(neighbour.State)}");
        request.Begin(type, flags, text, KernelObjectKind.Neighbour, neighbour.Address.ToString())
            .Struct(new NdMsg
            {
                Family = InetAddresses.Family(neighbour.Address),
                Index = neighbour.LinkIndex,
                // iproute2 sends NUD_PERMANENT for proxy entries and deletes too; the kernel ignores it there.
                State = (ushort)neighbour.State,
                Flags = (byte)neighbour.Flags,
            })
            .Inet(Nda.Destination, neighbour.Address);
        if (neighbour.LinkLayerAddress is { } address && type == RtnlMessageType.NewNeigh)
        {
            request.Attribute(Nda.LinkLayerAddress, address.ToBytes());
        }

        return request.End();
    }
}
