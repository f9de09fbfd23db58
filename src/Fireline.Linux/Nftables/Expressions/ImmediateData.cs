using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>Loads a constant into a register: <c>[ immediate reg 1 0x00000582 ]</c> (what a write statement then stores).</summary>
public sealed record ImmediateData(NftRegister Destination, byte[] Data) : NftExpression
{
    private const ushort DestinationAttribute = 1; // NFTA_IMMEDIATE_DREG
    private const ushort DataAttribute = 2; // NFTA_IMMEDIATE_DATA

    internal override string Name => "immediate";

    internal override void EncodeData(NetlinkRequest request)
    {
        request.Be32(DestinationAttribute, (uint)Destination);
        Value(request, DataAttribute, Data);
    }
}
