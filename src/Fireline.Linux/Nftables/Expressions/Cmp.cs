using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>
/// Compares a register with a constant and breaks off the rule when it does not hold:
/// <c>[ cmp eq reg 1 0x0000000a ]</c>. Only the constant's length is compared (a name prefix for wildcards).
/// </summary>
public sealed record Cmp(CmpOp Op, NftRegister Source, byte[] Data) : NftExpression
{
    private const ushort SourceAttribute = 1; // NFTA_CMP_SREG
    private const ushort OpAttribute = 2; // NFTA_CMP_OP
    private const ushort DataAttribute = 3; // NFTA_CMP_DATA

    internal override string Name => "cmp";

    internal override void EncodeData(NetlinkRequest request)
    {
        request.Be32(SourceAttribute, (uint)Source).Be32(OpAttribute, (uint)Op);
        Value(request, DataAttribute, Data);
    }
}

/// <summary>enum nft_cmp_ops.</summary>
public enum CmpOp : uint
{
    Equal = 0,
    NotEqual = 1,
}
