using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>
/// Loads bytes of the packet into a register: <c>[ payload load 4b @ network header + 12 => reg 1 ]</c>. A
/// length that is not a multiple of 4 leaves the rest of its last register zero.
/// </summary>
public sealed record Payload(PayloadBase Base, int Offset, int Length, NftRegister Destination) : NftExpression
{
    private const ushort DestinationAttribute = 1; // NFTA_PAYLOAD_DREG
    private const ushort BaseAttribute = 2; // NFTA_PAYLOAD_BASE
    private const ushort OffsetAttribute = 3; // NFTA_PAYLOAD_OFFSET
    private const ushort LengthAttribute = 4; // NFTA_PAYLOAD_LEN

    internal override string Name => "payload";

    internal override void EncodeData(NetlinkRequest request)
        => request.Be32(DestinationAttribute, (uint)Destination).Be32(BaseAttribute, (uint)Base)
            .Be32(OffsetAttribute, (uint)Offset).Be32(LengthAttribute, (uint)Length);
}

/// <summary>enum nft_payload_bases.</summary>
public enum PayloadBase : uint
{
    LinkLayer = 0,
    Network = 1,
    Transport = 2,
}
