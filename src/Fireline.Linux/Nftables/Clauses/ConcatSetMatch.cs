using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>
/// Several fields together in (or not in) a set whose keys concatenate them:
/// <c>iifname . ether saddr . ip saddr != @vm_ipv4</c>. Dependencies (the ethertype, the protocol) are the
/// caller's: put the clauses that establish them first.
/// </summary>
public sealed record ConcatSetMatch(IReadOnlyList<NftField> Fields, string Set, bool Negate = false) : NftClause
{
    internal override void Emit(List<NftExpression> expressions)
    {
        NftField.EmitLoads(expressions, Fields);
        expressions.Add(new Lookup(Set, NftRegister.R0, Invert: Negate));
    }

    public override string ToString() => $"{string.Join(" . ", Fields.Select(f => f.Text))} {(Negate ? "!= " : "")}@{Set}";
}
