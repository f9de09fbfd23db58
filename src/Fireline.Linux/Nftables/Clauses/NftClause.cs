using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>
/// One part of a rule in nft's own terms (<c>iifname "br-a"</c>, <c>ip saddr 10.0.0.0/16</c>, <c>accept</c>): it
/// knows the expressions it compiles to, dependencies included, and how nft would write it. The text is for
/// people (plans, listings in errors), never parsed: a rule reaches the kernel only as its expressions, so a
/// name or a comment is data wherever it came from. Each clause loads what it matches into registers from
/// <see cref="NftRegister.R0"/> on; registers are scratch between clauses.
/// </summary>
public abstract record NftClause
{
    internal abstract void Emit(List<NftExpression> expressions);

    public abstract override string ToString();
}
