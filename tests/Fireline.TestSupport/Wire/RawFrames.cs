using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Fireline.Linux;

namespace Fireline.TestSupport.Wire;

/// <summary>
/// Ethernet frames built byte by byte, as a lying guest would write them: any MAC, any source address (link-local,
/// unspecified, another VM's), broadcast and multicast, ARP and neighbour discovery. Checksums are right, so a
/// receiving stack would take them. Every frame with a payload carries a marker a capture can look for.
/// </summary>
public static class RawFrames
{
    public const ushort Ipv4Type = 0x0800;
    public const ushort ArpType = 0x0806;
    public const ushort Ipv6Type = 0x86dd;

    public static MacAddress Broadcast { get; } = MacAddress.Parse("ff:ff:ff:ff:ff:ff");

    /// <summary>The Ethernet multicast MAC of an IPv4 (01:00:5e + 23 bits) or IPv6 (33:33 + 32 bits) group.</summary>
    public static MacAddress MulticastMac(IPAddress group)
    {
        var bytes = group.GetAddressBytes();
        return group.AddressFamily == AddressFamily.InterNetwork
            ? MacAddress.FromBytes([0x01, 0x00, 0x5e, (byte)(bytes[1] & 0x7f), bytes[2], bytes[3]])
            : MacAddress.FromBytes([0x33, 0x33, bytes[12], bytes[13], bytes[14], bytes[15]]);
    }

    /// <summary>The IPv6 solicited-node multicast group of an address (ff02::1:ffXX:XXXX).</summary>
    public static IPAddress SolicitedNode(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return new IPAddress([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, bytes[13], bytes[14], bytes[15]]);
    }

    public static byte[] Ethernet(MacAddress destination, MacAddress source, ushort etherType, byte[] payload)
    {
        var frame = new byte[14 + payload.Length];
        destination.WriteTo(frame);
        source.WriteTo(frame.AsSpan(6));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        payload.CopyTo(frame, 14);
        return frame;
    }

    /// <summary>The frame with an 802.1Q tag of VLAN <paramref name="vlan"/> (priority 0) after its MAC addresses, as a trunk carries it.</summary>
    public static byte[] Tagged(byte[] frame, int vlan)
    {
        var tagged = new byte[frame.Length + 4];
        frame.AsSpan(0, 12).CopyTo(tagged);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(12), 0x8100);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(14), (ushort)vlan);
        frame.AsSpan(12).CopyTo(tagged.AsSpan(16));
        return tagged;
    }

    /// <summary>The VLAN id of an 802.1Q-tagged frame; null for an untagged one.</summary>
    public static int? VlanOf(byte[] frame)
        => frame.Length >= 18 && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) == 0x8100 ? BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(14)) & 0xfff : null;

    /// <summary>A UDP datagram in IPv4 or IPv6 (by the addresses' family), its payload the marker.</summary>
    public static byte[] Udp(MacAddress destinationMac, MacAddress sourceMac, IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, byte[] marker)
    {
        var udp = new byte[8 + marker.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        marker.CopyTo(udp, 8);
        return Ip(destinationMac, sourceMac, source, destination, 17, udp, checksumAt: 6);
    }

    /// <summary>A TCP SYN in IPv4 or IPv6: what a connection attempt starts with.</summary>
    public static byte[] TcpSyn(MacAddress destinationMac, MacAddress sourceMac, IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort)
    {
        var tcp = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), 0x10203040);
        tcp[12] = 5 << 4; // header length: 5 words
        tcp[13] = 0x02; // SYN
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), 65535);
        return Ip(destinationMac, sourceMac, source, destination, 6, tcp, checksumAt: 16);
    }

    /// <summary>An ICMP (IPv4) or ICMPv6 echo request carrying the marker.</summary>
    public static byte[] EchoRequest(MacAddress destinationMac, MacAddress sourceMac, IPAddress source, IPAddress destination, byte[] marker)
    {
        var v6 = source.AddressFamily == AddressFamily.InterNetworkV6;
        var icmp = new byte[8 + marker.Length];
        icmp[0] = v6 ? (byte)128 : (byte)8;
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(4), 0x4242);
        marker.CopyTo(icmp, 8);
        return Ip(destinationMac, sourceMac, source, destination, v6 ? (byte)58 : (byte)1, icmp, checksumAt: 2);
    }

    /// <summary>An ARP request or reply: who has <paramref name="targetIp"/>, tell <paramref name="senderIp"/> at <paramref name="senderMac"/>.</summary>
    public static byte[] Arp(MacAddress frameSource, ushort operation, MacAddress senderMac, IPAddress senderIp, MacAddress targetMac, IPAddress targetIp, MacAddress? destination = null)
    {
        var arp = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1); // Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(2), Ipv4Type);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(6), operation);
        senderMac.WriteTo(arp.AsSpan(8));
        senderIp.GetAddressBytes().CopyTo(arp, 14);
        targetMac.WriteTo(arp.AsSpan(18));
        targetIp.GetAddressBytes().CopyTo(arp, 24);
        return Ethernet(destination ?? Broadcast, frameSource, ArpType, arp);
    }

    /// <summary>
    /// A neighbour solicitation for <paramref name="target"/>; from the unspecified address it is a
    /// duplicate-address probe (sent to the target's solicited-node group, without a source link-layer option).
    /// </summary>
    public static byte[] NeighbourSolicit(MacAddress sourceMac, IPAddress source, IPAddress target)
    {
        var group = SolicitedNode(target);
        var unspecified = source.Equals(IPAddress.IPv6Any);
        var icmp = new byte[24 + (unspecified ? 0 : 8)];
        icmp[0] = 135;
        target.GetAddressBytes().CopyTo(icmp, 8);
        if (!unspecified)
        {
            icmp[24] = 1; // source link-layer address
            icmp[25] = 1;
            sourceMac.WriteTo(icmp.AsSpan(26));
        }

        return Ip(MulticastMac(group), sourceMac, source, group, 58, icmp, checksumAt: 2, hopLimit: 255);
    }

    /// <summary>An unsolicited neighbour advertisement to all nodes: "<paramref name="target"/> is at <paramref name="sourceMac"/>".</summary>
    public static byte[] NeighbourAdvert(MacAddress sourceMac, IPAddress source, IPAddress target)
    {
        var allNodes = IPAddress.Parse("ff02::1");
        var icmp = new byte[32];
        icmp[0] = 136;
        icmp[4] = 0x20; // override
        target.GetAddressBytes().CopyTo(icmp, 8);
        icmp[24] = 2; // target link-layer address
        icmp[25] = 1;
        sourceMac.WriteTo(icmp.AsSpan(26));
        return Ip(MulticastMac(allNodes), sourceMac, source, allNodes, 58, icmp, checksumAt: 2, hopLimit: 255);
    }

    /// <summary>
    /// An outer Ethernet/IPv4/UDP/VXLAN packet carrying <paramref name="inner"/> with <paramref name="vni"/>, as a
    /// tunnel endpoint at <paramref name="source"/> would send it to the one at <paramref name="destination"/>.
    /// </summary>
    public static byte[] Vxlan(MacAddress destinationMac, MacAddress sourceMac, IPAddress source, IPAddress destination, int vni, byte[] inner)
    {
        byte[] header = [0x08, 0, 0, 0, (byte)(vni >> 16), (byte)(vni >> 8), (byte)vni, 0];
        return Udp(destinationMac, sourceMac, source, destination, 40001, Linux.Rtnetlink.Vxlan.IanaPort, [.. header, .. inner]);
    }

    /// <summary>A new random marker: 12 bytes no other frame carries.</summary>
    public static byte[] Marker() => [.. "FLM"u8, .. Guid.NewGuid().ToByteArray()[..9]];

    private static byte[] Ip(MacAddress destinationMac, MacAddress sourceMac, IPAddress source, IPAddress destination, byte protocol, byte[] transport,
        int checksumAt, byte hopLimit = 64)
    {
        if (source.AddressFamily != destination.AddressFamily)
        {
            throw new ArgumentException("source and destination must be of one family");
        }

        var v6 = source.AddressFamily == AddressFamily.InterNetworkV6;
        var pseudo = new List<byte>();
        pseudo.AddRange(source.GetAddressBytes());
        pseudo.AddRange(destination.GetAddressBytes());
        var length = new byte[v6 ? 4 : 2];
        BinaryPrimitives.WriteUInt16BigEndian(length.AsSpan(length.Length - 2), (ushort)transport.Length);
        if (v6)
        {
            pseudo.AddRange(length);
            pseudo.AddRange([0, 0, 0, protocol]);
        }
        else
        {
            pseudo.AddRange([0, protocol]);
            pseudo.AddRange(length);
        }

        // ICMP (IPv4) sums its own bytes only; UDP, TCP and ICMPv6 include the pseudo-header.
        var sum = Checksum(protocol == 1 ? transport : [.. pseudo, .. transport]);
        BinaryPrimitives.WriteUInt16BigEndian(transport.AsSpan(checksumAt), sum == 0 && protocol == 17 ? (ushort)0xffff : sum);
        byte[] header;
        if (v6)
        {
            header = new byte[40];
            header[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)transport.Length);
            header[6] = protocol;
            header[7] = hopLimit;
            source.GetAddressBytes().CopyTo(header, 8);
            destination.GetAddressBytes().CopyTo(header, 24);
        }
        else
        {
            header = new byte[20];
            header[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(20 + transport.Length));
            header[8] = hopLimit;
            header[9] = protocol;
            source.GetAddressBytes().CopyTo(header, 12);
            destination.GetAddressBytes().CopyTo(header, 16);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), Checksum(header));
        }

        return Ethernet(destinationMac, sourceMac, v6 ? Ipv6Type : Ipv4Type, [.. header, .. transport]);
    }

    private static ushort Checksum(byte[] bytes)
    {
        uint sum = 0;
        for (var i = 0; i < bytes.Length; i += 2)
        {
            sum += (uint)(bytes[i] << 8) | (i + 1 < bytes.Length ? bytes[i + 1] : 0u);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
