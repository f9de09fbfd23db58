using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>Loads packet metadata into a register: <c>[ meta load iifname => reg 1 ]</c>.</summary>
public sealed record Meta(MetaKey Key, NftRegister Destination) : NftExpression
{
    private const ushort DestinationAttribute = 1; // NFTA_META_DREG
    private const ushort KeyAttribute = 2; // NFTA_META_KEY

    internal override string Name => "meta";

    internal override void EncodeData(NetlinkRequest request)
        => request.Be32(DestinationAttribute, (uint)Destination).Be32(KeyAttribute, (uint)Key);
}

/// <summary>enum nft_meta_keys (the ones Fireline uses).</summary>
public enum MetaKey : uint
{
    /// <summary>The interface a packet came in on, by name (16 bytes).</summary>
    InputInterfaceName = 6,

    /// <summary>The interface a packet leaves on, by name (16 bytes).</summary>
    OutputInterfaceName = 7,

    /// <summary>The layer-3 protocol family (1 byte: NFPROTO_IPV4, NFPROTO_IPV6).</summary>
    NetfilterProtocol = 15,

    /// <summary>The layer-4 protocol (1 byte: 6 tcp, 17 udp, 1 icmp, 58 icmpv6).</summary>
    Layer4Protocol = 16,
}
