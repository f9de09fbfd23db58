using System.Net.Sockets;
using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>
/// A value a concatenated lookup loads: one part of a set's key (<c>iifname . ether saddr . ip saddr</c>). Its
/// <see cref="Type"/> says how many bytes it takes.
/// </summary>
public sealed record NftField(string Text, NftDataType Type, Func<NftRegister, NftExpression> Load)
{
    public static NftField InputInterfaceName { get; } = new("iifname", NftDataType.InterfaceName, r => new Meta(MetaKey.InputInterfaceName, r));

    public static NftField OutputInterfaceName { get; } = new("oifname", NftDataType.InterfaceName, r => new Meta(MetaKey.OutputInterfaceName, r));

    public static NftField EtherSource { get; } = new("ether saddr", NftDataType.EtherAddress, r => new Payload(PayloadBase.LinkLayer, 6, 6, r));

    public static NftField EtherDestination { get; } = new("ether daddr", NftDataType.EtherAddress, r => new Payload(PayloadBase.LinkLayer, 0, 6, r));

    /// <summary>An ARP packet's sender hardware address (<c>arp saddr ether</c>).</summary>
    public static NftField ArpSenderEther { get; } = new("arp saddr ether", NftDataType.EtherAddress, r => new Payload(PayloadBase.Network, 8, 6, r));

    /// <summary>An ARP packet's sender protocol address (<c>arp saddr ip</c>).</summary>
    public static NftField ArpSenderIp { get; } = new("arp saddr ip", NftDataType.Ipv4Address, r => new Payload(PayloadBase.Network, 14, 4, r));

    /// <summary>The target address of an IPv6 neighbour solicitation or advertisement (ICMPv6 bytes 8 to 23).</summary>
    public static NftField NeighbourTarget { get; } = new("@th,64,128", NftDataType.Ipv6Address, r => new Payload(PayloadBase.Transport, 8, 16, r));

    /// <summary>
    /// A VXLAN packet's network identifier and the reserved byte after it (bytes 4 to 7 of the VXLAN header, after the
    /// 8-byte UDP header): the VNI shifted left by 8 when the packet is well formed.
    /// </summary>
    public static NftField VxlanNetworkId { get; } = new("@th,96,32", NftDataType.Integer(4), r => new Payload(PayloadBase.Transport, 12, 4, r));

    /// <summary>The source MAC of the frame a VXLAN packet carries (UDP 8 + VXLAN 8 + the inner destination MAC 6).</summary>
    public static NftField VxlanInnerEtherSource { get; } = new("@th,176,48", NftDataType.EtherAddress, r => new Payload(PayloadBase.Transport, 22, 6, r));

    public static NftField Layer4Protocol { get; } = new("meta l4proto", NftDataType.InetProtocol, r => new Meta(MetaKey.Layer4Protocol, r));

    public static NftField DestinationPort { get; } = new("th dport", NftDataType.InetService, r => new Payload(PayloadBase.Transport, 2, 2, r));

    public static NftField Address(AddressField field)
        => new(field.ToString(), field.Family == AddressFamily.InterNetwork ? NftDataType.Ipv4Address : NftDataType.Ipv6Address, field.Load);

    /// <summary>Loads the fields one after another from <see cref="NftRegister.R0"/>; returns the register after them.</summary>
    internal static NftRegister EmitLoads(List<NftExpression> expressions, IReadOnlyList<NftField> fields)
    {
        var register = NftRegister.R0;
        foreach (var field in fields)
        {
            expressions.Add(field.Load(register));
            register = Registers.After(register, field.Type.Length);
        }

        return register;
    }
}
