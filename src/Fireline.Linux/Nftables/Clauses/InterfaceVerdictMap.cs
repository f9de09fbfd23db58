using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>
/// The verdict a verdict map holds for the interface's name, if it holds one: <c>iifname vmap @from_network</c>.
/// A name the map lacks goes on to the next rule.
/// </summary>
public sealed record InterfaceVerdictMap(PacketDirection Direction, string Map) : NftClause
{
    internal override void Emit(List<NftExpression> expressions)
    {
        expressions.Add(new Meta(Direction.NameKey(), NftRegister.R0));
        expressions.Add(new Lookup(Map, NftRegister.R0, NftRegister.Verdict));
    }

    public override string ToString() => $"{Direction.NameKeyword()} vmap @{Map}";
}
