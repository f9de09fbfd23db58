using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Tests.Linux;

public sealed class RouteRequestsTests
{
    private const int Br0 = 2;

    [Fact]
    public void Add_with_gateway_matches_iproute2()
    {
        // ip route add 10.200.0.0/16 via 10.100.0.254 dev br0
        Golden.Equal(
            "34 00 00 00 18 00 05 06 00 00 00 00 00 00 00 00 02 10 00 00 fe 03 00 01 00 00 00 00 08 00 01 00 0a c8 00 00 " +
            "08 00 05 00 0a 64 00 fe 08 00 04 00 02 00 00 00",
            RouteRequests.Add(new NetlinkRequest(), new Route(IPNetwork.Parse("10.200.0.0/16"))
            {
                Gateway = IPAddress.Parse("10.100.0.254"),
                LinkIndex = Br0,
            }));
    }

    [Fact]
    public void Add_default_route_matches_iproute2()
    {
        // ip route add default via 10.100.0.254 dev br0
        Golden.Equal(
            "2c 00 00 00 18 00 05 06 00 00 00 00 00 00 00 00 02 00 00 00 fe 03 00 01 00 00 00 00 08 00 05 00 0a 64 00 fe 08 00 04 00 02 00 00 00",
            RouteRequests.Add(new NetlinkRequest(), Route.Default(IPAddress.Parse("10.100.0.254")) with { LinkIndex = Br0 }));
    }

    [Fact]
    public void Add_ipv6_default_route_with_metric_matches_iproute2()
    {
        // ip route add default via fd00::fe dev br0 metric 5
        Golden.Equal(
            "40 00 00 00 18 00 05 06 00 00 00 00 00 00 00 00 0a 00 00 00 fe 03 00 01 00 00 00 00 " +
            "14 00 05 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 fe 08 00 06 00 05 00 00 00 08 00 04 00 02 00 00 00",
            RouteRequests.Add(new NetlinkRequest(), Route.Default(IPAddress.Parse("fd00::fe")) with { LinkIndex = Br0, Metric = 5 }));
    }

    [Fact]
    public void Add_ipv6_prefix_matches_iproute2()
    {
        // ip route add fd01::/64 via fd00::fe dev br0
        Golden.Equal(
            "4c 00 00 00 18 00 05 06 00 00 00 00 00 00 00 00 0a 40 00 00 fe 03 00 01 00 00 00 00 " +
            "14 00 01 00 fd 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 14 00 05 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 fe " +
            "08 00 04 00 02 00 00 00",
            RouteRequests.Add(new NetlinkRequest(), new Route(IPNetwork.Parse("fd01::/64")) { Gateway = IPAddress.Parse("fd00::fe"), LinkIndex = Br0 }));
    }

    [Fact]
    public void Replace_with_metric_table_and_protocol_matches_iproute2()
    {
        // ip route replace 10.200.0.0/16 via 10.100.0.253 dev br0 metric 100 table 100 proto static
        Golden.Equal(
            "3c 00 00 00 18 00 05 05 00 00 00 00 00 00 00 00 02 10 00 00 64 04 00 01 00 00 00 00 08 00 01 00 0a c8 00 00 " +
            "08 00 05 00 0a 64 00 fd 08 00 06 00 64 00 00 00 08 00 04 00 02 00 00 00",
            RouteRequests.Replace(new NetlinkRequest(), new Route(IPNetwork.Parse("10.200.0.0/16"))
            {
                Gateway = IPAddress.Parse("10.100.0.253"),
                LinkIndex = Br0,
                Metric = 100,
                Table = 100,
                Protocol = RouteProtocol.Static,
            }));
    }

    [Fact]
    public void A_route_without_gateway_gets_link_scope_like_iproute2()
    {
        // ip route add 10.206.0.0/24 dev br0
        Golden.Equal(
            "2c 00 00 00 18 00 05 06 00 00 00 00 00 00 00 00 02 18 00 00 fe 03 fd 01 00 00 00 00 08 00 01 00 0a ce 00 00 08 00 04 00 02 00 00 00",
            RouteRequests.Add(new NetlinkRequest(), new Route(IPNetwork.Parse("10.206.0.0/24")) { LinkIndex = Br0 }));
    }

    [Theory]
    // ip route add blackhole 10.202.0.0/16
    [InlineData(RouteType.Blackhole, "24 00 00 00 18 00 05 06 00 00 00 00 00 00 00 00 02 10 00 00 fe 03 00 06 00 00 00 00 08 00 01 00 0a ca 00 00")]
    // ip route add unreachable 10.202.0.0/16
    [InlineData(RouteType.Unreachable, "24 00 00 00 18 00 05 06 00 00 00 00 00 00 00 00 02 10 00 00 fe 03 00 07 00 00 00 00 08 00 01 00 0a ca 00 00")]
    public void Add_typed_route_matches_iproute2(RouteType type, string golden)
        => Golden.Equal(golden, RouteRequests.Add(new NetlinkRequest(), new Route(IPNetwork.Parse("10.202.0.0/16")) { Type = type }));

    [Fact]
    public void A_local_route_goes_to_the_local_table_with_host_scope()
    {
        // ip route add local 10.207.0.1 dev br0 table local
        Golden.Equal(
            "2c 00 00 00 18 00 05 06 00 00 00 00 00 00 00 00 02 20 00 00 ff 03 fe 02 00 00 00 00 08 00 01 00 0a cf 00 01 08 00 04 00 02 00 00 00",
            RouteRequests.Add(new NetlinkRequest(), new Route(IPNetwork.Parse("10.207.0.1/32")) { Type = RouteType.Local, LinkIndex = Br0 }));
    }

    [Fact]
    public void Delete_matches_iproute2()
    {
        // ip route del 10.200.0.0/16
        Golden.Equal(
            "24 00 00 00 19 00 05 00 00 00 00 00 00 00 00 00 02 10 00 00 fe 00 ff 00 00 00 00 00 08 00 01 00 0a c8 00 00",
            RouteRequests.Delete(new NetlinkRequest(), new Route(IPNetwork.Parse("10.200.0.0/16"))));
    }

    [Fact]
    public void Delete_default_matches_iproute2()
    {
        // ip route del default
        Golden.Equal(
            "1c 00 00 00 19 00 05 00 00 00 00 00 00 00 00 00 02 00 00 00 fe 00 ff 00 00 00 00 00",
            RouteRequests.Delete(new NetlinkRequest(), new Route(null)));
    }

    [Fact]
    public void Get_ipv4_matches_iproute2()
    {
        // ip route get 1.1.1.1
        Golden.Equal(
            "24 00 00 00 1a 00 01 00 00 00 00 00 00 00 00 00 02 20 00 00 00 00 00 00 00 10 00 00 08 00 01 00 01 01 01 01",
            RouteRequests.Get(new NetlinkRequest(), IPAddress.Parse("1.1.1.1")));
    }

    [Fact]
    public void Get_ipv6_matches_iproute2()
    {
        // ip route get fd00::9
        Golden.Equal(
            "30 00 00 00 1a 00 01 00 00 00 00 00 00 00 00 00 0a 80 00 00 00 00 00 00 00 00 00 00 " +
            "14 00 01 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 09",
            RouteRequests.Get(new NetlinkRequest(), IPAddress.Parse("fd00::9")));
    }

    [Fact]
    public void Tables_past_255_travel_in_rta_table()
    {
        // Hand-checked: rtm_table RT_TABLE_UNSPEC (0) and RTA_TABLE (15) = 1000, after the gateway and before the link.
        Golden.Equal(
            "34 00 00 00 18 00 05 06 00 00 00 00 00 00 00 00 02 00 00 00 00 03 00 01 00 00 00 00 " +
            "08 00 05 00 0a 64 00 fe 08 00 0f 00 e8 03 00 00 08 00 04 00 02 00 00 00",
            RouteRequests.Add(new NetlinkRequest(), Route.Default(IPAddress.Parse("10.100.0.254")) with { LinkIndex = Br0, Table = 1000 }));
    }

    [Fact]
    public void The_family_follows_destination_then_gateway()
    {
        Assert.Equal(AddressFamily.InterNetworkV6, Route.Default(IPAddress.Parse("fd00::1")).Family);
        Assert.Equal(AddressFamily.InterNetwork, new Route(null).Family);
        Assert.Equal(AddressFamily.InterNetworkV6, new Route(null) { Family = AddressFamily.InterNetworkV6, Type = RouteType.Blackhole }.Family);
        Assert.Throws<ArgumentException>(() => RouteRequests.Add(new NetlinkRequest(),
            new Route(IPNetwork.Parse("10.0.0.0/8")) { Gateway = IPAddress.Parse("fd00::1") }));
    }

    [Fact]
    public void Operation_text_reads_like_the_ip_command()
    {
        var request = RouteRequests.Replace(new NetlinkRequest(), new Route(IPNetwork.Parse("10.200.0.0/16"))
        {
            Gateway = IPAddress.Parse("10.100.0.253"),
            LinkIndex = Br0,
            Metric = 100,
            Table = 100,
            Protocol = RouteProtocol.Static,
        });

        Assert.Equal("ip route replace 10.200.0.0/16 via 10.100.0.253 metric 100 table 100 dev 2 proto static", Assert.Single(request.Messages).Operation);
        Assert.Equal("ip route del blackhole default", Assert.Single(RouteRequests.Delete(new NetlinkRequest(), new Route(null) { Type = RouteType.Blackhole }).Messages).Operation);
    }
}
