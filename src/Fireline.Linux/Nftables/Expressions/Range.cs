using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>Breaks off the rule unless a register lies in [from, to] (big-endian bytes): <c>tcp dport 8000-8100</c>.</summary>
public sealed record Range(NftRegister Source, byte[] From, byte[] To) : NftExpression
{
    private const ushort SourceAttribute = 1; // NFTA_RANGE_SREG
    private const ushort OpAttribute = 2; // NFTA_RANGE_OP (NFT_RANGE_EQ = 0)
    private const ushort FromAttribute = 3; // NFTA_RANGE_FROM_DATA
    private const ushort ToAttribute = 4; // NFTA_RANGE_TO_DATA

    internal override string Name => "range";

    internal override void EncodeData(NetlinkRequest request)
    {
        request.Be32(SourceAttribute, (uint)Source).Be32(OpAttribute, 0);
        Value(request, FromAttribute, From);
        Value(request, ToAttribute, To);
    }
}
