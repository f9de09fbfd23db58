using System.Globalization;
using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>An ICMP or ICMPv6 message type: <c>icmp type echo-request</c>, <c>icmpv6 type nd-neighbor-solicit</c>.</summary>
public sealed record IcmpTypeMatch(byte Protocol, byte Type) : NftClause
{
    public const byte EchoRequest = 8;
    public const byte Echo6Request = 128;
    public const byte RouterSolicit = 133;
    public const byte RouterAdvert = 134;
    public const byte NeighbourSolicit = 135;
    public const byte NeighbourAdvert = 136;

    public static IcmpTypeMatch V4(byte type) => new(ProtocolMatch.Icmp, type);

    public static IcmpTypeMatch V6(byte type) => new(ProtocolMatch.Icmpv6, type);

    internal override void Emit(List<NftExpression> expressions)
    {
        ProtocolMatch.Emit(expressions, Protocol);
        expressions.Add(new Payload(PayloadBase.Transport, 0, 1, NftRegister.R0));
        expressions.Add(new Cmp(CmpOp.Equal, NftRegister.R0, [Type]));
    }

    public override string ToString() => $"{ProtocolMatch.Name(Protocol)} type {TypeName()}";

    private string TypeName() => (Protocol, Type) switch
    {
        (ProtocolMatch.Icmp, EchoRequest) or (ProtocolMatch.Icmpv6, Echo6Request) => "echo-request",
        (ProtocolMatch.Icmpv6, RouterSolicit) => "nd-router-solicit",
        (ProtocolMatch.Icmpv6, RouterAdvert) => "nd-router-advert",
        (ProtocolMatch.Icmpv6, NeighbourSolicit) => "nd-neighbor-solicit",
        (ProtocolMatch.Icmpv6, NeighbourAdvert) => "nd-neighbor-advert",
        _ => Type.ToString(CultureInfo.InvariantCulture),
    };
}
