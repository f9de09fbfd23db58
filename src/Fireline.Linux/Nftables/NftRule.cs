using System.Security.Cryptography;
using Fireline.Linux.Netlink;
using Fireline.Linux.Nftables.Clauses;
using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables;

/// <summary>
/// A rule: clauses that compile to the kernel's expressions, and a comment nft shows. The rule's
/// <see cref="Digest"/>, a hash of what it sends, travels with it in its user data, so that a listing tells
/// whether the kernel still holds exactly this rule (and nobody changed it by hand).
/// </summary>
public sealed record NftRule
{
    public NftRule(NftChain chain, IReadOnlyList<NftClause> clauses, string? comment = null)
    {
        Chain = chain;
        Clauses = clauses;
        Comment = comment;
        var expressions = new List<NftExpression>();
        foreach (var clause in clauses)
        {
            clause.Emit(expressions);
        }

        Expressions = expressions;
        var scratch = new NetlinkRequest();
        EncodeExpressions(scratch);
        Digest = Convert.ToHexStringLower(SHA256.HashData(scratch.Bytes)[..8]) + (comment is null ? "" : ":" + comment);
    }

    public NftChain Chain { get; }

    public IReadOnlyList<NftClause> Clauses { get; }

    public string? Comment { get; }

    public IReadOnlyList<NftExpression> Expressions { get; }

    /// <summary>Identifies the rule's content: equal digests, equal expressions and comment.</summary>
    public string Digest { get; }

    internal void EncodeExpressions(NetlinkRequest request)
    {
        var list = request.BeginNested(NfTablesWire.RuleExpressions, markNested: true);
        foreach (var expression in Expressions)
        {
            expression.Encode(request);
        }

        request.EndNested(list);
    }

    /// <summary>As nft lists it: <c>iifname "br-a" ip saddr 10.1.0.0/16 accept comment "web"</c>.</summary>
    public override string ToString()
        => string.Join(' ', Clauses.Select(c => c.ToString())) + (Comment is null ? "" : $" comment \"{Comment}\"");
}
