using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>The layer-4 protocol, IPv4 or IPv6: <c>meta l4proto tcp</c>.</summary>
public sealed record ProtocolMatch(byte Protocol) : NftClause
{
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Icmpv6 = 58;

    internal override void Emit(List<NftExpression> expressions) => Emit(expressions, Protocol);

    internal static void Emit(List<NftExpression> expressions, byte protocol)
    {
        expressions.Add(new Meta(MetaKey.Layer4Protocol, NftRegister.R0));
        expressions.Add(new Cmp(CmpOp.Equal, NftRegister.R0, [protocol]));
    }

    public override string ToString() => $"meta l4proto {Name(Protocol)}";

    internal static string Name(byte protocol) => protocol switch
    {
        Icmp => "icmp",
        Tcp => "tcp",
        Udp => "udp",
        Icmpv6 => "icmpv6",
        _ => protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
