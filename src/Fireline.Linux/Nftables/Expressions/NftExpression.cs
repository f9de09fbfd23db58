using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>
/// One expression of a rule, as the kernel runs it: loads into registers, comparisons, lookups, verdicts,
/// NAT. Each kind encodes its own attributes (linux/netfilter/nf_tables.h, enum nft_*_attributes).
/// </summary>
public abstract record NftExpression
{
    /// <summary>NFTA_EXPR_NAME: the kernel module's name for the expression.</summary>
    internal abstract string Name { get; }

    /// <summary>The attributes inside NFTA_EXPR_DATA.</summary>
    internal abstract void EncodeData(NetlinkRequest request);

    /// <summary>One NFTA_LIST_ELEM of a rule's NFTA_RULE_EXPRESSIONS.</summary>
    internal void Encode(NetlinkRequest request)
    {
        var element = request.BeginNested(NfTablesWire.ListElement, markNested: true);
        request.String(NfTablesWire.ExpressionName, Name);
        var data = request.BeginNested(NfTablesWire.ExpressionData, markNested: true);
        EncodeData(request);
        request.EndNested(data);
        request.EndNested(element);
    }

    /// <summary>A constant operand: a nested attribute holding NFTA_DATA_VALUE.</summary>
    internal static void Value(NetlinkRequest request, ushort type, ReadOnlySpan<byte> value)
    {
        var nested = request.BeginNested(type, markNested: true);
        request.Attribute(NfTablesWire.DataValue, value);
        request.EndNested(nested);
    }
}
