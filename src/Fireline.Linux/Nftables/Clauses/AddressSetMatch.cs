using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>An address in (or not in) a named set, an interval set of prefixes for instance: <c>ip saddr @subnets</c>.</summary>
public sealed record AddressSetMatch(AddressField Field, string Set, NftFamily Table, bool Negate = false) : NftClause
{
    internal override void Emit(List<NftExpression> expressions)
    {
        Field.EmitDependency(expressions, Table);
        expressions.Add(Field.Load(NftRegister.R0));
        expressions.Add(new Lookup(Set, NftRegister.R0, Invert: Negate));
    }

    public override string ToString() => $"{Field} {(Negate ? "!= " : "")}@{Set}";
}
