using System.Net;
using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Tests.Linux;

public sealed class LinkKindRequestsTests
{
    private const int Br0 = 2;

    [Fact]
    public void Bridge_matches_iproute2()
    {
        // ip link add br1 type bridge
        Golden.Equal(
            "38 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 " +
            "08 00 03 00 62 72 31 00 10 00 12 00 0a 00 01 00 62 72 69 64 67 65 00 00",
            LinkRequests.Create(new NetlinkRequest(), new LinkSpec("br1", new Bridge())));
    }

    [Fact]
    public void Veth_matches_iproute2()
    {
        // ip link add v0 type veth peer name v1
        Golden.Equal(
            "54 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 " +
            "07 00 03 00 76 30 00 00 2c 00 12 00 08 00 01 00 76 65 74 68 20 00 02 00 1c 00 01 00 " +
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 07 00 03 00 76 31 00 00",
            LinkRequests.Create(new NetlinkRequest(), new LinkSpec("v0", new Veth("v1"))));
    }

    [Fact]
    public void Vxlan_ipv4_unicast_matches_iproute2()
    {
        // ip link add vx0 type vxlan id 42 local 10.100.0.1 remote 10.100.0.9 dev br0 dstport 4789 nolearning ttl 64
        Golden.Equal(
            "74 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 " +
            "08 00 03 00 76 78 30 00 4c 00 12 00 09 00 01 00 76 78 6c 61 6e 00 00 00 3c 00 02 00 " +
            "08 00 03 00 02 00 00 00 05 00 05 00 40 00 00 00 08 00 01 00 2a 00 00 00 08 00 04 00 0a 64 00 01 " +
            "08 00 02 00 0a 64 00 09 05 00 07 00 00 00 00 00 06 00 0f 00 12 b5 00 00",
            LinkRequests.Create(new NetlinkRequest(), new LinkSpec("vx0", new Vxlan(42)
            {
                Local = IPAddress.Parse("10.100.0.1"),
                Remote = IPAddress.Parse("10.100.0.9"),
                UnderlayIndex = Br0,
                Learning = false,
                Ttl = 64,
            })));
    }

    [Fact]
    public void Vxlan_multicast_group_matches_iproute2()
    {
        // ip link add vx1 type vxlan id 43 group 239.1.1.1 dev br0 dstport 4789
        Golden.Equal(
            "64 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 " +
            "08 00 03 00 76 78 31 00 3c 00 12 00 09 00 01 00 76 78 6c 61 6e 00 00 00 2c 00 02 00 " +
            "08 00 03 00 02 00 00 00 08 00 01 00 2b 00 00 00 08 00 02 00 ef 01 01 01 05 00 07 00 01 00 00 00 06 00 0f 00 12 b5 00 00",
            LinkRequests.Create(new NetlinkRequest(), new LinkSpec("vx1", new Vxlan(43) { Group = IPAddress.Parse("239.1.1.1"), UnderlayIndex = Br0 })));
    }

    [Fact]
    public void Vxlan_ipv6_matches_iproute2()
    {
        // ip link add vx2 type vxlan id 44 local fd00::1 remote fd00::9 dstport 4789 learning
        Golden.Equal(
            "7c 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 " +
            "08 00 03 00 76 78 32 00 54 00 12 00 09 00 01 00 76 78 6c 61 6e 00 00 00 44 00 02 00 08 00 01 00 2c 00 00 00 " +
            "14 00 11 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 14 00 10 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 09 " +
            "05 00 07 00 01 00 00 00 06 00 0f 00 12 b5 00 00",
            LinkRequests.Create(new NetlinkRequest(), new LinkSpec("vx2", new Vxlan(44) { Local = IPAddress.Parse("fd00::1"), Remote = IPAddress.Parse("fd00::9") })));
    }

    [Fact]
    public void Vxlan_settings_that_contradict_each_other_are_refused_before_writing()
    {
        var request = new NetlinkRequest();
        Assert.Throws<ArgumentException>(() => LinkRequests.Create(request, new LinkSpec("vx3", new Vxlan(1)
        {
            Remote = IPAddress.Parse("10.0.0.1"),
            Group = IPAddress.Parse("239.1.1.1"),
        })));
        Assert.Throws<ArgumentException>(() => LinkRequests.Create(request, new LinkSpec("vx3", new Vxlan(1) { Group = IPAddress.Parse("10.0.0.1") })));
        Assert.Throws<ArgumentException>(() => LinkRequests.Create(request, new LinkSpec("vx3", new Vxlan(1)
        {
            Local = IPAddress.Parse("fd00::1"),
            Remote = IPAddress.Parse("10.0.0.1"),
        })));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Vxlan(1 << 24));
        Assert.Empty(request.Messages);
    }

    [Fact]
    public void Vlan_matches_iproute2()
    {
        // ip link add link br0 name br0.101 type vlan id 101
        Golden.Equal(
            "4c 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 " +
            "08 00 05 00 02 00 00 00 0c 00 03 00 62 72 30 2e 31 30 31 00 18 00 12 00 08 00 01 00 76 6c 61 6e " +
            "0c 00 02 00 06 00 01 00 65 00 00 00",
            LinkRequests.Create(new NetlinkRequest(), new LinkSpec("br0.101", new Vlan(Br0, 101))));
    }

    [Fact]
    public void Vlan_802_1ad_matches_iproute2()
    {
        // ip link add link br0 name br0.102 type vlan id 102 protocol 802.1ad
        Golden.Equal(
            "54 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 " +
            "08 00 05 00 02 00 00 00 0c 00 03 00 62 72 30 2e 31 30 32 00 20 00 12 00 08 00 01 00 76 6c 61 6e " +
            "14 00 02 00 06 00 01 00 66 00 00 00 06 00 05 00 88 a8 00 00",
            LinkRequests.Create(new NetlinkRequest(), new LinkSpec("br0.102", new Vlan(Br0, 102) { Protocol = VlanProtocol.Dot1AD })));
    }

    [Fact]
    public void Vlan_ids_outside_1_to_4094_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Vlan(Br0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Vlan(Br0, 4095));
    }
}
