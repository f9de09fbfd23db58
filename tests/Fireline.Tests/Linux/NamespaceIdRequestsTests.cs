using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Tests.Linux;

/// <summary>The namespace travels as a descriptor number (NETNSA_FD); iproute2 had it open as fd 6.</summary>
public sealed class NamespaceIdRequestsTests
{
    private const int Fd = 6;

    [Fact]
    public void Get_matches_iproute2()
    {
        // ip netns list (the RTM_GETNSID it sends for each name)
        Golden.Equal(
            "1c 00 00 00 5a 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 08 00 03 00 06 00 00 00",
            NamespaceIdRequests.Get(new NetlinkRequest(), Fd, "peer"));
    }

    [Fact]
    public void Assign_auto_matches_iproute2()
    {
        // ip netns set peer auto
        Golden.Equal(
            "24 00 00 00 58 00 05 00 00 00 00 00 00 00 00 00 00 00 00 00 08 00 03 00 06 00 00 00 08 00 01 00 ff ff ff ff",
            NamespaceIdRequests.Assign(new NetlinkRequest(), Fd, "peer", null));
    }

    [Fact]
    public void Assign_a_chosen_id_matches_iproute2()
    {
        // ip netns set peer 7
        Golden.Equal(
            "24 00 00 00 58 00 05 00 00 00 00 00 00 00 00 00 00 00 00 00 08 00 03 00 06 00 00 00 08 00 01 00 07 00 00 00",
            NamespaceIdRequests.Assign(new NetlinkRequest(), Fd, "peer", 7));
        Assert.Equal("ip netns set peer 7", Assert.Single(NamespaceIdRequests.Assign(new NetlinkRequest(), Fd, "peer", 7).Messages).Operation);
        Assert.Throws<ArgumentOutOfRangeException>(() => NamespaceIdRequests.Assign(new NetlinkRequest(), Fd, "peer", -2));
    }
}
