using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>
/// IPv4 destination NAT to the address and port a map holds for the packet's protocol and destination port:
/// <c>dnat ip to meta l4proto . th dport map @port_forwards</c> (map type
/// <c>inet_proto . inet_service : ipv4_addr . inet_service</c>). A packet the map lacks goes on to the next rule.
/// </summary>
public sealed record DestinationNatMapStatement(string Map) : NftClause
{
    internal override void Emit(List<NftExpression> expressions)
    {
        expressions.Add(new Meta(MetaKey.NetfilterProtocol, NftRegister.R0));
        expressions.Add(new Cmp(CmpOp.Equal, NftRegister.R0, [(byte)NftFamily.Ipv4]));
        NftField.EmitLoads(expressions, [NftField.Layer4Protocol, NftField.DestinationPort]);
        // The value (address, then port in the next register) replaces the key in the same registers.
        expressions.Add(new Lookup(Map, NftRegister.R0, NftRegister.R0));
        expressions.Add(new DestinationNat(NftFamily.Ipv4, NftRegister.R0, NftRegister.R1));
    }

    public override string ToString() => $"dnat ip to meta l4proto . th dport map @{Map}";
}
