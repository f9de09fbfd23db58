namespace Fireline.Linux.Nftables.Clauses;

/// <summary>Source NAT to the outgoing interface's address: <c>masquerade</c> (a nat chain's statement).</summary>
public sealed record MasqueradeStatement : NftClause
{
    internal override void Emit(List<Expressions.NftExpression> expressions) => expressions.Add(new Expressions.Masquerade());

    public override string ToString() => "masquerade";
}
