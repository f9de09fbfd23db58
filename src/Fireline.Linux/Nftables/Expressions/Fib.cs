using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>
/// Asks the routing table about the packet's destination address and loads the route type (RTN_*, 32-bit host
/// order): <c>fib daddr type</c>, e.g. to tell a packet for the host itself (RTN_LOCAL) from one to forward.
/// </summary>
public sealed record FibDestinationType(NftRegister Destination) : NftExpression
{
    private const ushort DestinationAttribute = 1; // NFTA_FIB_DREG
    private const ushort ResultAttribute = 2; // NFTA_FIB_RESULT
    private const ushort FlagsAttribute = 3; // NFTA_FIB_FLAGS
    private const uint AddressType = 3; // NFT_FIB_RESULT_ADDRTYPE
    private const uint DestinationAddress = 2; // NFTA_FIB_F_DADDR

    /// <summary>RTN_LOCAL: an address of the host itself.</summary>
    public const uint Local = 2;

    internal override string Name => "fib";

    internal override void EncodeData(NetlinkRequest request)
        => request.Be32(DestinationAttribute, (uint)Destination).Be32(ResultAttribute, AddressType).Be32(FlagsAttribute, DestinationAddress);
}
