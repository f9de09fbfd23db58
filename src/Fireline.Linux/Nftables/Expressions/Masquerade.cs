using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>Source NAT to the outgoing interface's address: <c>[ masq ]</c>.</summary>
public sealed record Masquerade : NftExpression
{
    internal override string Name => "masq";

    internal override void EncodeData(NetlinkRequest request)
    {
    }
}
