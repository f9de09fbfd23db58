using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>
/// <c>dreg = (sreg &amp; mask) ^ xor</c> over the mask's length: how a prefix (<c>ip saddr 10.0.0.0/16</c>) or a
/// bit test (<c>ct state established,related</c>) is matched before a cmp.
/// </summary>
public sealed record Bitwise(NftRegister Source, NftRegister Destination, byte[] Mask) : NftExpression
{
    private const ushort SourceAttribute = 1; // NFTA_BITWISE_SREG
    private const ushort DestinationAttribute = 2; // NFTA_BITWISE_DREG
    private const ushort LengthAttribute = 3; // NFTA_BITWISE_LEN
    private const ushort MaskAttribute = 4; // NFTA_BITWISE_MASK
    private const ushort XorAttribute = 5; // NFTA_BITWISE_XOR

    internal override string Name => "bitwise";

    internal override void EncodeData(NetlinkRequest request)
    {
        request.Be32(SourceAttribute, (uint)Source).Be32(DestinationAttribute, (uint)Destination).Be32(LengthAttribute, (uint)Mask.Length);
        Value(request, MaskAttribute, Mask);
        Value(request, XorAttribute, new byte[Mask.Length]);
    }
}
