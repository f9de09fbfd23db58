using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>The rule's verdict: <c>accept</c>, <c>drop</c>, <c>return</c>, <c>jump in-a</c>.</summary>
public sealed record VerdictStatement(NftVerdict Verdict) : NftClause
{
    internal override void Emit(List<NftExpression> expressions) => expressions.Add(new Immediate(Verdict));

    public override string ToString() => Verdict.ToString();
}
