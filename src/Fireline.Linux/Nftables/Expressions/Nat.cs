using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>
/// Destination NAT to the address (and port) in registers: <c>[ nat dnat ip addr_min reg 1 proto_min reg 2 ]</c>.
/// The kernel sets NF_NAT_RANGE_MAP_IPS and PROTO_SPECIFIED itself from the registers given.
/// </summary>
public sealed record DestinationNat(NftFamily Family, NftRegister Address, NftRegister? Port) : NftExpression
{
    private const ushort TypeAttribute = 1; // NFTA_NAT_TYPE
    private const ushort FamilyAttribute = 2; // NFTA_NAT_FAMILY
    private const ushort AddressAttribute = 3; // NFTA_NAT_REG_ADDR_MIN
    private const ushort PortAttribute = 5; // NFTA_NAT_REG_PROTO_MIN
    private const uint Dnat = 1; // NFT_NAT_DNAT

    internal override string Name => "nat";

    internal override void EncodeData(NetlinkRequest request)
    {
        request.Be32(TypeAttribute, Dnat).Be32(FamilyAttribute, (uint)Family).Be32(AddressAttribute, (uint)Address);
        if (Port is { } port)
        {
            request.Be32(PortAttribute, (uint)port);
        }
    }
}
