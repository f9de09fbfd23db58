using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>Sets the verdict: <c>[ immediate reg 0 accept ]</c>, <c>[ immediate reg 0 jump -> in-a ]</c>.</summary>
public sealed record Immediate(NftVerdict Verdict) : NftExpression
{
    private const ushort DestinationAttribute = 1; // NFTA_IMMEDIATE_DREG
    private const ushort DataAttribute = 2; // NFTA_IMMEDIATE_DATA

    internal override string Name => "immediate";

    internal override void EncodeData(NetlinkRequest request)
    {
        request.Be32(DestinationAttribute, (uint)NftRegister.Verdict);
        var data = request.BeginNested(DataAttribute, markNested: true);
        Verdict.Encode(request);
        request.EndNested(data);
    }
}
