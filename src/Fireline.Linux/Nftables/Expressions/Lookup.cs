using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>
/// Looks a register's key up in a named set of the rule's table and breaks off the rule when it is absent
/// (present, with <see cref="Invert"/>). For a map, the value found goes to <see cref="Destination"/> (a
/// verdict map's to the verdict register: the rule jumps or drops as the element says).
/// </summary>
public sealed record Lookup(string Set, NftRegister Source, NftRegister? Destination = null, bool Invert = false) : NftExpression
{
    private const ushort SetAttribute = 1; // NFTA_LOOKUP_SET
    private const ushort SourceAttribute = 2; // NFTA_LOOKUP_SREG
    private const ushort DestinationAttribute = 3; // NFTA_LOOKUP_DREG
    private const ushort FlagsAttribute = 5; // NFTA_LOOKUP_FLAGS
    private const uint InvertFlag = 1; // NFT_LOOKUP_F_INV

    internal override string Name => "lookup";

    internal override void EncodeData(NetlinkRequest request)
    {
        request.String(SetAttribute, Set).Be32(SourceAttribute, (uint)Source);
        if (Destination is { } destination)
        {
            request.Be32(DestinationAttribute, (uint)destination);
        }

        if (Invert)
        {
            request.Be32(FlagsAttribute, InvertFlag);
        }
    }
}
