using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>The interface's name is (or is not) in a named set: <c>iifname != @bridges</c>.</summary>
public sealed record InterfaceSetMatch(PacketDirection Direction, string Set, bool Negate = false) : NftClause
{
    internal override void Emit(List<NftExpression> expressions)
    {
        expressions.Add(new Meta(Direction.NameKey(), NftRegister.R0));
        expressions.Add(new Lookup(Set, NftRegister.R0, Invert: Negate));
    }

    public override string ToString() => $"{Direction.NameKeyword()} {(Negate ? "!= " : "")}@{Set}";
}
