using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Conntrack;

/// <summary>
/// Builds ctnetlink messages (NETLINK_NETFILTER, subsystem CTNETLINK) into a <see cref="NetlinkRequest"/>.
/// <see cref="Conntrack"/> wraps them in exchanges.
/// </summary>
internal static class ConntrackRequests
{
    /// <summary>
    /// <c>conntrack -C</c>: the entry count of the socket's namespace, from IPCTNL_MSG_CT_GET_STATS. The ack is
    /// asked for because the kernel marks its one reply NLM_F_MULTI without ever sending NLMSG_DONE.
    /// </summary>
    public static NetlinkRequest Count(NetlinkRequest request)
        => request.Begin(Ctnl.MsgGetStats, NetlinkFlags.Ack, "conntrack -C", KernelObjectKind.Conntrack, null)
            .Struct(new NfGenMsg())
            .End();

    /// <summary><c>conntrack -L [-f ipv4|ipv6]</c>; <see cref="AddressFamily.Unspecified"/> lists both.</summary>
    public static NetlinkRequest List(NetlinkRequest request, AddressFamily family = AddressFamily.Unspecified)
    {
        var text = family switch
        {
            AddressFamily.InterNetwork => "conntrack -L -f ipv4",
            AddressFamily.InterNetworkV6 => "conntrack -L -f ipv6",
            _ => "conntrack -L",
        };
        return request.Begin(Ctnl.MsgGet, NetlinkFlags.Dump, text, KernelObjectKind.Conntrack, null)
            .Struct(new NfGenMsg { Family = family == AddressFamily.Unspecified ? Ctnl.AfUnspec : FamilyOf(family) })
            .End();
    }

    /// <summary><c>conntrack -D -p P -s S -d D --sport X --dport Y</c>: the one entry with that original tuple (and zone).</summary>
    public static NetlinkRequest Delete(NetlinkRequest request, ConntrackEntry entry)
    {
        request.Begin(Ctnl.MsgDelete, NetlinkFlags.Ack, $"conntrack -D {entry.Original}", KernelObjectKind.Conntrack, entry.Original.Source.ToString())
            .Struct(new NfGenMsg { Family = FamilyOf(entry.Family) });
        WriteTuple(request, Cta.TupleOrig, entry.Original);
        if (entry.Zone != 0)
        {
            request.Be16(Cta.Zone, entry.Zone);
        }

        return request.End();
    }

    /// <summary>
    /// <c>conntrack -D -s A; conntrack -D -r A</c>: two flushes filtered in the kernel (CTA_FILTER, Linux 6.12+), of the
    /// entries whose original source or reply source is A: every flow A took part in under its own address, from it
    /// (original source) or to it (the reply's source is the real destination, after any DNAT). No entry travels to user
    /// space. An address only as original destination (DNATed away from A) or reply destination (SNATed to A) is left:
    /// each walk of the table costs the same whatever it finds (a quarter-million buckets on a tuned host), and those
    /// two need a NAT rule to or from A. IPv4 only: this kernel's IPv6 filter match is inverted (it keeps the matching
    /// entries and deletes the others), so IPv6 goes through <see cref="Delete"/>.
    /// </summary>
    public static NetlinkRequest DeleteByEndpoint(NetlinkRequest request, IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not IPv4; filtered conntrack flushes are only correct for IPv4", nameof(address));
        }

        FilteredFlush(request, address, Cta.TupleOrig, Cta.IpV4Src, "-s");
        return FilteredFlush(request, address, Cta.TupleReply, Cta.IpV4Src, "-r");
    }

    /// <summary>Reads the CTA_STATS_GLOBAL_ENTRIES of an IPCTNL_MSG_CT_GET_STATS reply.</summary>
    public static int ParseCount(NetlinkMessage message)
    {
        foreach (var attribute in message.Attributes<NfGenMsg>())
        {
            if (attribute.Type == Cta.StatsGlobalEntries)
            {
                return (int)BinaryPrimitives.ReadUInt32BigEndian(attribute.Value);
            }
        }

        throw new KernelException((int)Errno.ENODATA, "conntrack -C", null, "no CTA_STATS_GLOBAL_ENTRIES in the reply");
    }

    /// <summary>Reads one entry of a conntrack dump.</summary>
    public static ConntrackEntry Parse(NetlinkMessage message)
    {
        var family = message.Header<NfGenMsg>().Family == Ctnl.AfInet6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        ConntrackTuple? original = null, reply = null;
        uint id = 0, status = 0, mark = 0;
        ushort zone = 0;
        foreach (var attribute in message.Attributes<NfGenMsg>())
        {
            switch (attribute.Type)
            {
                case Cta.TupleOrig: original = ParseTuple(attribute.Nested); break;
                case Cta.TupleReply: reply = ParseTuple(attribute.Nested); break;
                case Cta.Id: id = BinaryPrimitives.ReadUInt32BigEndian(attribute.Value); break;
                case Cta.Status: status = BinaryPrimitives.ReadUInt32BigEndian(attribute.Value); break;
                case Cta.Mark: mark = BinaryPrimitives.ReadUInt32BigEndian(attribute.Value); break;
                case Cta.Zone: zone = attribute.Be16; break;
            }
        }

        return new ConntrackEntry
        {
            Family = family,
            Original = original ?? throw new KernelException((int)Errno.ENODATA, "conntrack -L", null, "an entry without CTA_TUPLE_ORIG"),
            Reply = reply ?? throw new KernelException((int)Errno.ENODATA, "conntrack -L", null, "an entry without CTA_TUPLE_REPLY"),
            Id = id,
            Zone = zone,
            Status = status,
            Mark = mark,
        };
    }

    private static NetlinkRequest FilteredFlush(NetlinkRequest request, IPAddress address, ushort tuple, ushort field, string option)
    {
        // The tuple attribute is what keeps this safe on kernels without filtered flushes: they read it as
        // "delete this one entry", fail to parse a tuple that names one address (EINVAL), and delete nothing.
        // Without it, an old kernel would ignore CTA_FILTER and flush the whole table.
        request.Begin(Ctnl.MsgDelete, NetlinkFlags.Ack, $"conntrack -D {option} {address}", KernelObjectKind.Conntrack, address.ToString())
            .Struct(new NfGenMsg { Family = Ctnl.AfInet });
        var tupleToken = request.BeginNested(tuple, markNested: true);
        var ip = request.BeginNested(Cta.TupleIp, markNested: true);
        request.Attribute(field, address.GetAddressBytes());
        request.EndNested(ip).EndNested(tupleToken);
        var filter = request.BeginNested(Cta.Filter, markNested: true);
        request.U32(tuple == Cta.TupleOrig ? Cta.FilterOrigFlags : Cta.FilterReplyFlags,
            field == Cta.IpV4Src ? Cta.FilterIpSource : Cta.FilterIpDestination);
        request.EndNested(filter);
        return request.End();
    }

    private static void WriteTuple(NetlinkRequest request, ushort type, ConntrackTuple tuple)
    {
        var v6 = tuple.Source.AddressFamily == AddressFamily.InterNetworkV6;
        var outer = request.BeginNested(type, markNested: true);
        var ip = request.BeginNested(Cta.TupleIp, markNested: true);
        request.Attribute(v6 ? Cta.IpV6Src : Cta.IpV4Src, tuple.Source.GetAddressBytes());
        request.Attribute(v6 ? Cta.IpV6Dst : Cta.IpV4Dst, tuple.Destination.GetAddressBytes());
        request.EndNested(ip);
        var proto = request.BeginNested(Cta.TupleProto, markNested: true);
        request.U8(Cta.ProtoNum, tuple.Protocol);
        if (tuple.SourcePort is { } sourcePort)
        {
            request.Be16(Cta.ProtoSrcPort, sourcePort);
        }

        if (tuple.DestinationPort is { } destinationPort)
        {
            request.Be16(Cta.ProtoDstPort, destinationPort);
        }

        if (tuple.IcmpId is { } icmpId)
        {
            request.Be16(v6 ? Cta.ProtoIcmpV6Id : Cta.ProtoIcmpId, icmpId);
        }

        if (tuple.IcmpType is { } icmpType)
        {
            request.U8(v6 ? Cta.ProtoIcmpV6Type : Cta.ProtoIcmpType, icmpType);
        }

        if (tuple.IcmpCode is { } icmpCode)
        {
            request.U8(v6 ? Cta.ProtoIcmpV6Code : Cta.ProtoIcmpCode, icmpCode);
        }

        request.EndNested(proto).EndNested(outer);
    }

    private static ConntrackTuple ParseTuple(AttributeReader attributes)
    {
        IPAddress source = IPAddress.None, destination = IPAddress.None;
        byte protocol = 0;
        ushort? sourcePort = null, destinationPort = null, icmpId = null;
        byte? icmpType = null, icmpCode = null;
        foreach (var attribute in attributes)
        {
            if (attribute.Type == Cta.TupleIp)
            {
                foreach (var ip in attribute.Nested)
                {
                    switch (ip.Type)
                    {
                        case Cta.IpV4Src or Cta.IpV6Src: source = new IPAddress(ip.Value); break;
                        case Cta.IpV4Dst or Cta.IpV6Dst: destination = new IPAddress(ip.Value); break;
                    }
                }
            }
            else if (attribute.Type == Cta.TupleProto)
            {
                foreach (var key in attribute.Nested)
                {
                    switch (key.Type)
                    {
                        case Cta.ProtoNum: protocol = key.U8; break;
                        case Cta.ProtoSrcPort: sourcePort = key.Be16; break;
                        case Cta.ProtoDstPort: destinationPort = key.Be16; break;
                        case Cta.ProtoIcmpId or Cta.ProtoIcmpV6Id: icmpId = key.Be16; break;
                        case Cta.ProtoIcmpType or Cta.ProtoIcmpV6Type: icmpType = key.U8; break;
                        case Cta.ProtoIcmpCode or Cta.ProtoIcmpV6Code: icmpCode = key.U8; break;
                    }
                }
            }
        }

        return new ConntrackTuple
        {
            Source = source,
            Destination = destination,
            Protocol = protocol,
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
            IcmpId = icmpId,
            IcmpType = icmpType,
            IcmpCode = icmpCode,
        };
    }

    private static byte FamilyOf(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => Ctnl.AfInet,
        AddressFamily.InterNetworkV6 => Ctnl.AfInet6,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "conntrack tracks IPv4 and IPv6 only"),
    };
}
