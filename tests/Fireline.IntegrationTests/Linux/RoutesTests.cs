using System.Net;
using System.Net.Sockets;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

[Trait("Category", Categories.Integration)]
public sealed class RoutesTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly Rtnl _rtnl;
    private readonly int _uplink;

    public RoutesTests()
    {
        _rtnl = Rtnl.Open(_host.HostNamespace);
        _uplink = _rtnl.Links.Get(TestHost.UplinkName).Index;
    }

    private static IPAddress Outside => TestHost.OutsideAddress;

    [Fact]
    public void Finds_the_default_route_and_its_uplink()
    {
        var route = _rtnl.Routes.DefaultRoute(AddressFamily.InterNetwork);

        Assert.NotNull(route);
        Assert.Equal(_uplink, route.LinkIndex);
        Assert.Equal(Outside, route.Gateway);
        Assert.Null(route.Destination);
        Assert.Equal(RouteTable.Main, route.Table);
        Assert.Null(_rtnl.Routes.DefaultRoute(AddressFamily.InterNetworkV6));
    }

    [Fact]
    public void Get_reports_link_gateway_and_source_like_ip_route_get()
    {
        var route = _rtnl.Routes.Get(IPAddress.Parse("1.1.1.1"));

        Assert.Equal(_uplink, route.LinkIndex);
        Assert.Equal(Outside, route.Gateway);
        Assert.Equal(TestHost.HostUplinkAddress, route.PreferredSource);
        Assert.Equal(IPNetwork.Parse("1.1.1.1/32"), route.Destination);
        var seen = Tool.Run("ip", "-n", _host.HostNamespaceName, "-j", "route", "get", "1.1.1.1");
        Assert.Contains("\"prefsrc\":\"198.51.100.2\"", seen, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_without_a_route_is_the_kernels_errno()
    {
        _rtnl.Routes.Delete(new Route(null));

        var error = Assert.Throws<KernelException>(() => _rtnl.Routes.Get(IPAddress.Parse("1.1.1.1")));
        Assert.Equal(Errno.ENETUNREACH, error.Errno);
        Assert.Equal("ip route get 1.1.1.1", error.Operation);
    }

    [Fact]
    public void Adds_lists_replaces_and_deletes_a_route_via_a_gateway()
    {
        var route = new Route(IPNetwork.Parse("10.200.0.0/16")) { Gateway = Outside, LinkIndex = _uplink };
        _rtnl.Routes.Add(route);

        var seen = Assert.Single(Ip.Routes(_host.HostNamespaceName), r => r.GetProperty("dst").GetString() == "10.200.0.0/16");
        Assert.Equal("198.51.100.1", seen.GetProperty("gateway").GetString());
        Assert.Equal(TestHost.UplinkName, seen.GetProperty("dev").GetString());
        var listed = Assert.Single(_rtnl.Routes.List(AddressFamily.InterNetwork), r => r.Destination == IPNetwork.Parse("10.200.0.0/16"));
        Assert.Equal(Outside, listed.Gateway);
        Assert.Equal(RouteProtocol.Boot, listed.Protocol);
        Assert.Equal(RouteScope.Universe, listed.Scope);

        _rtnl.Routes.Replace(new Route(IPNetwork.Parse("10.200.0.0/16")) { LinkIndex = _uplink });
        seen = Assert.Single(Ip.Routes(_host.HostNamespaceName), r => r.GetProperty("dst").GetString() == "10.200.0.0/16");
        Assert.False(seen.TryGetProperty("gateway", out _));
        Assert.Equal("link", seen.GetProperty("scope").GetString());

        _rtnl.Routes.Delete(listed with { Gateway = null });
        Assert.DoesNotContain(Ip.Routes(_host.HostNamespaceName), r => r.GetProperty("dst").GetString() == "10.200.0.0/16");
    }

    [Fact]
    public void Table_metric_protocol_and_types_reach_the_kernel()
    {
        _rtnl.Routes.Add(new Route(IPNetwork.Parse("10.201.0.0/16")) { Gateway = Outside, Table = 100, Metric = 7, Protocol = RouteProtocol.Static });
        _rtnl.Routes.Add(new Route(IPNetwork.Parse("10.202.0.0/16")) { Type = RouteType.Blackhole });
        _rtnl.Routes.Add(new Route(IPNetwork.Parse("10.203.0.0/16")) { Type = RouteType.Unreachable, Table = 1000 });
        _rtnl.Routes.Add(new Route(IPNetwork.Parse("10.204.0.1/32")) { Type = RouteType.Local, LinkIndex = _uplink });

        var inTable = Assert.Single(Ip.Routes(_host.HostNamespaceName, "-4", "100"));
        Assert.Equal("10.201.0.0/16", inTable.GetProperty("dst").GetString());
        Assert.Equal(7, inTable.GetProperty("metric").GetInt32());
        Assert.Equal("static", inTable.GetProperty("protocol").GetString());
        Assert.Contains(Ip.Routes(_host.HostNamespaceName), r => r.GetProperty("dst").GetString() == "10.202.0.0/16" && r.GetProperty("type").GetString() == "blackhole");
        Assert.Equal("unreachable", Assert.Single(Ip.Routes(_host.HostNamespaceName, "-4", "1000")).GetProperty("type").GetString());
        Assert.Contains(Ip.Routes(_host.HostNamespaceName, "-4", "local"), r => r.GetProperty("dst").GetString() == "10.204.0.1" && r.GetProperty("type").GetString() == "local");

        var table100 = Assert.Single(_rtnl.Routes.List(AddressFamily.InterNetwork, 100));
        Assert.Equal(7, table100.Metric);
        Assert.Equal(RouteProtocol.Static, table100.Protocol);
        Assert.Equal(RouteType.Unreachable, Assert.Single(_rtnl.Routes.List(AddressFamily.InterNetwork, 1000)).Type);
        var everywhere = _rtnl.Routes.List(table: null);
        Assert.Contains(everywhere, r => r.Type == RouteType.Local && r.Table == RouteTable.Local && r.Destination == IPNetwork.Parse("10.204.0.1/32"));
        Assert.Contains(everywhere, r => r.Type == RouteType.Blackhole && r.Table == RouteTable.Main);

        _rtnl.Routes.Delete(new Route(IPNetwork.Parse("10.202.0.0/16")) { Type = RouteType.Blackhole });
        _rtnl.Routes.Delete(new Route(IPNetwork.Parse("10.203.0.0/16")) { Type = RouteType.Unreachable, Table = 1000 });
        Assert.Empty(Ip.Routes(_host.HostNamespaceName, "-4", "1000"));
        Assert.DoesNotContain(Ip.Routes(_host.HostNamespaceName), r => r.GetProperty("dst").GetString() == "10.202.0.0/16");
    }

    [Fact]
    public void Ipv6_routes_and_the_ipv6_default_route()
    {
        Ip.Run("-n", _host.HostNamespaceName, "addr", "add", "fd00:51::2/64", "dev", TestHost.UplinkName, "nodad");
        var gateway = IPAddress.Parse("fd00:51::1");

        _rtnl.Routes.Add(new Route(IPNetwork.Parse("fd01::/64")) { Gateway = gateway, LinkIndex = _uplink });
        _rtnl.Routes.Add(Route.Default(gateway) with { LinkIndex = _uplink, Metric = 5 });

        var seen = Assert.Single(Ip.Routes(_host.HostNamespaceName, "-6"), r => r.GetProperty("dst").GetString() == "fd01::/64");
        Assert.Equal("fd00:51::1", seen.GetProperty("gateway").GetString());
        var defaultRoute = _rtnl.Routes.DefaultRoute(AddressFamily.InterNetworkV6);
        Assert.NotNull(defaultRoute);
        Assert.Equal(gateway, defaultRoute.Gateway);
        Assert.Equal(5, defaultRoute.Metric);
        Assert.Equal(_uplink, defaultRoute.LinkIndex);
        Assert.Equal(AddressFamily.InterNetworkV6, defaultRoute.Family);
        Assert.Equal(_uplink, _rtnl.Routes.Get(IPAddress.Parse("fd01::9")).LinkIndex);

        _rtnl.Routes.Delete(defaultRoute);
        Assert.Null(_rtnl.Routes.DefaultRoute(AddressFamily.InterNetworkV6));
    }

    [Fact]
    public void An_existing_route_is_a_typed_exists_error()
    {
        var route = new Route(IPNetwork.Parse("10.200.0.0/16")) { Gateway = Outside };
        _rtnl.Routes.Add(route);

        var error = Assert.Throws<KernelObjectExistsException>(() => _rtnl.Routes.Add(route));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal(KernelObjectKind.Route, error.Kind);
        Assert.Equal("10.200.0.0/16", error.ObjectName);
    }

    [Fact]
    public void Deleting_a_missing_route_is_not_found()
    {
        var error = Assert.Throws<KernelObjectNotFoundException>(() => _rtnl.Routes.Delete(new Route(IPNetwork.Parse("10.250.0.0/16"))));
        Assert.Equal(Errno.ESRCH, error.Errno);
        Assert.Equal(KernelObjectKind.Route, error.Kind);
        Assert.Equal("ip route del 10.250.0.0/16", error.Operation);

        var v6 = Assert.Throws<KernelObjectNotFoundException>(() => _rtnl.Routes.Delete(new Route(IPNetwork.Parse("fd09::/64"))));
        Assert.Equal(Errno.ESRCH, v6.Errno);
    }

    [Fact]
    public void An_unreachable_gateway_stays_a_plain_kernel_error()
    {
        // Assert.Throws takes the exact type: no subclass (exists, not found) hides the errno.
        var error = Assert.Throws<KernelException>(() => _rtnl.Routes.Add(new Route(IPNetwork.Parse("10.200.0.0/16")) { Gateway = IPAddress.Parse("10.9.9.9") }));
        Assert.Equal(Errno.ENETUNREACH, error.Errno);
        Assert.Equal("ip route add 10.200.0.0/16 via 10.9.9.9", error.Operation);
    }

    [Fact]
    public void A_route_through_a_missing_link_is_link_not_found()
    {
        var error = Assert.Throws<LinkNotFoundException>(() => _rtnl.Routes.Add(new Route(IPNetwork.Parse("10.200.0.0/16")) { LinkIndex = 9999 }));
        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Contains("dev 9999", error.Operation, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _host.Dispose();
    }
}
