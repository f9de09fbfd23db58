using System.Buffers.Binary;
using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>A frame's ethertype (bridge family): <c>ether type arp</c>.</summary>
public sealed record EtherTypeMatch(ushort EtherType) : NftClause
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Arp = 0x0806;
    public const ushort Ipv6 = 0x86dd;

    internal override void Emit(List<NftExpression> expressions) => Emit(expressions, EtherType);

    internal static void Emit(List<NftExpression> expressions, ushort etherType)
    {
        var value = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(value, etherType);
        expressions.Add(new Payload(PayloadBase.LinkLayer, 12, 2, NftRegister.R0));
        expressions.Add(new Cmp(CmpOp.Equal, NftRegister.R0, value));
    }

    public override string ToString() => "ether type " + EtherType switch
    {
        Ipv4 => "ip",
        Arp => "arp",
        Ipv6 => "ip6",
        _ => $"0x{EtherType:x4}",
    };
}
