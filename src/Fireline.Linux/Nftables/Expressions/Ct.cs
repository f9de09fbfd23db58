using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>Loads a connection-tracking field into a register: <c>[ ct load state => reg 1 ]</c>.</summary>
public sealed record Ct(CtKey Key, NftRegister Destination) : NftExpression
{
    private const ushort DestinationAttribute = 1; // NFTA_CT_DREG
    private const ushort KeyAttribute = 2; // NFTA_CT_KEY

    internal override string Name => "ct";

    internal override void EncodeData(NetlinkRequest request)
        => request.Be32(DestinationAttribute, (uint)Destination).Be32(KeyAttribute, (uint)Key);
}

/// <summary>enum nft_ct_keys (the ones Fireline uses); both are 32-bit values in host byte order.</summary>
public enum CtKey : uint
{
    /// <summary>The NF_CT_STATE_* bits: invalid 1, established 2, related 4, new 8, untracked 64.</summary>
    State = 0,

    /// <summary>The IPS_* status bits (dnat 0x20).</summary>
    Status = 2,
}
