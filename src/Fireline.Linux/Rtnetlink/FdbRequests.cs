using System.Net;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// Builds forwarding-database messages: RTM_NEWNEIGH/RTM_DELNEIGH in the AF_BRIDGE family, as iproute2's
/// <c>bridge fdb</c> sends them.
/// </summary>
internal static class FdbRequests
{
    private const byte AfBridge = 7;

    /// <summary><c>bridge fdb replace MAC dev LINK [dst IP] master|self static|permanent</c></summary>
    public static NetlinkRequest Replace(NetlinkRequest request, FdbEntry entry)
        => Message(request, RtnlMessageType.NewNeigh, NetlinkFlags.Create | NetlinkFlags.Replace | NetlinkFlags.Ack, "replace", entry);

    /// <summary>
    /// <c>bridge fdb append MAC dev LINK dst IP self permanent</c>: one more destination for the MAC (a VXLAN device's
    /// all-zeros entry lists every remote endpoint broadcast goes to).
    /// </summary>
    public static NetlinkRequest Append(NetlinkRequest request, FdbEntry entry)
        => Message(request, RtnlMessageType.NewNeigh, NetlinkFlags.Create | NetlinkFlags.Append | NetlinkFlags.Ack, "append", entry);

    /// <summary><c>bridge fdb del MAC dev LINK [dst IP] master|self</c> (with dst: only that destination)</summary>
    public static NetlinkRequest Delete(NetlinkRequest request, FdbEntry entry)
        => Message(request, RtnlMessageType.DelNeigh, NetlinkFlags.Ack, "del", entry);

    /// <summary><c>bridge fdb show</c></summary>
    public static NetlinkRequest List(NetlinkRequest request)
        => request.Begin(RtnlMessageType.GetNeigh, NetlinkFlags.Dump, "bridge fdb show", KernelObjectKind.FdbEntry, null)
            .Struct(new NdMsg { Family = AfBridge }).End();

    /// <summary>Reads an AF_BRIDGE RTM_NEWNEIGH; null for other families and for entries without a MAC.</summary>
    public static FdbEntry? Parse(NetlinkMessage message)
    {
        var header = message.Header<NdMsg>();
        if (header.Family != AfBridge || header.Index <= 0)
        {
            return null;
        }

        IPAddress? destination = null;
        MacAddress? mac = null;
        foreach (var attribute in message.Attributes<NdMsg>())
        {
            switch (attribute.Type)
            {
                case Nda.Destination: destination = InetAddresses.Read(attribute.Value); break;
                case Nda.LinkLayerAddress when attribute.Value.Length == MacAddress.Length: mac = MacAddress.FromBytes(attribute.Value); break;
            }
        }

        // A device's own entries carry NTF_SELF; a bridge reports its entries without NTF_MASTER (it names itself in NDA_MASTER).
        var table = ((NeighbourFlags)header.Flags & NeighbourFlags.Self) != 0 ? FdbTable.Device : FdbTable.Bridge;
        return mac is { } address ? new FdbEntry(header.Index, address, table) { Destination = destination, State = (NeighbourState)header.State } : null;
    }

    private static NetlinkRequest Message(NetlinkRequest request, ushort type, NetlinkFlags flags, string verb, FdbEntry entry)
    {
        var bridge = entry.Table == FdbTable.Bridge;
        var text = $"bridge fdb {verb} {entry.Mac} dev {entry.LinkIndex}" + (entry.Destination is { } dst ? $" dst {dst}" : "") +
                   (bridge ? " master" : " self") + (type == RtnlMessageType.NewNeigh ? bridge ? " static" : " permanent" : "");
        request.Begin(type, flags, text, KernelObjectKind.FdbEntry, entry.Mac.ToString())
            .Struct(new NdMsg
            {
                Family = AfBridge,
                Index = entry.LinkIndex,
                // As iproute2 sends them. In a bridge's table NUD_PERMANENT would mean "local" (frames for the MAC go
                // up to the host): a static forwarding entry is NUD_NOARP (with REACHABLE). A VXLAN device wants
                // PERMANENT or REACHABLE.
                State = (ushort)(bridge ? NeighbourState.NoArp | NeighbourState.Reachable : NeighbourState.NoArp | NeighbourState.Permanent),
                Flags = (byte)(bridge ? NeighbourFlags.Master : NeighbourFlags.Self),
            })
            .Attribute(Nda.LinkLayerAddress, entry.Mac.ToBytes());
        if (entry.Destination is { } destination)
        {
            request.Inet(Nda.Destination, destination);
        }

        return request.End();
    }
}
