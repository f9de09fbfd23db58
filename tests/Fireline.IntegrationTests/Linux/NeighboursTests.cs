using System.Net;
using System.Net.Sockets;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

[Trait("Category", Categories.Integration)]
public sealed class NeighboursTests : IDisposable
{
    private static readonly MacAddress Mac2 = MacAddress.Parse("06:00:0a:00:00:02");
    private static readonly MacAddress Mac3 = MacAddress.Parse("06:00:0a:00:00:03");
    private readonly TestHost _host = new();
    private readonly Rtnl _rtnl;
    private readonly int _bridge;

    public NeighboursTests()
    {
        _rtnl = Rtnl.Open(_host.HostNamespace);
        _rtnl.Links.Create(new LinkSpec("br0", new Bridge()) { Up = true });
        _bridge = _rtnl.Links.Get("br0").Index;
        Ip.Run("-n", _host.HostNamespaceName, "addr", "add", "10.0.0.1/24", "dev", "br0");
        Ip.Run("-n", _host.HostNamespaceName, "addr", "add", "fd00:a::1/64", "dev", "br0", "nodad");
    }

    [Fact]
    public void Replace_writes_a_permanent_entry_and_overwrites_it()
    {
        _rtnl.Neighbours.Replace(new Neighbour(_bridge, IPAddress.Parse("10.0.0.2")) { LinkLayerAddress = Mac2 });

        var seen = Assert.Single(Ip.Neighbours(_host.HostNamespaceName), n => n.GetProperty("dst").GetString() == "10.0.0.2");
        Assert.Equal("br0", seen.GetProperty("dev").GetString());
        Assert.Equal("06:00:0a:00:00:02", seen.GetProperty("lladdr").GetString());
        Assert.Equal("PERMANENT", Assert.Single(seen.GetProperty("state").EnumerateArray()).GetString());

        _rtnl.Neighbours.Replace(new Neighbour(_bridge, IPAddress.Parse("10.0.0.2")) { LinkLayerAddress = Mac3 });
        seen = Assert.Single(Ip.Neighbours(_host.HostNamespaceName), n => n.GetProperty("dst").GetString() == "10.0.0.2");
        Assert.Equal("06:00:0a:00:00:03", seen.GetProperty("lladdr").GetString());
    }

    [Fact]
    public void Adds_ipv6_entries_and_lists_them_by_link_and_family()
    {
        _rtnl.Neighbours.Add(new Neighbour(_bridge, IPAddress.Parse("fd00:a::2")) { LinkLayerAddress = Mac2 });
        _rtnl.Neighbours.Add(new Neighbour(_bridge, IPAddress.Parse("10.0.0.3")) { LinkLayerAddress = Mac3 });

        Assert.Contains(Ip.Neighbours(_host.HostNamespaceName), n => n.GetProperty("dst").GetString() == "fd00:a::2" && n.GetProperty("lladdr").GetString() == "06:00:0a:00:00:02");
        var v6 = Assert.Single(_rtnl.Neighbours.List(_bridge, AddressFamily.InterNetworkV6), n => n.State == NeighbourState.Permanent);
        Assert.Equal(IPAddress.Parse("fd00:a::2"), v6.Address);
        Assert.Equal(Mac2, v6.LinkLayerAddress);
        var onBridge = _rtnl.Neighbours.List(_bridge);
        Assert.All(onBridge, n => Assert.Equal(_bridge, n.LinkIndex));
        Assert.Contains(onBridge, n => n.Address.Equals(IPAddress.Parse("10.0.0.3")) && n.State == NeighbourState.Permanent && !n.IsProxy);
        Assert.DoesNotContain(_rtnl.Neighbours.List(_rtnl.Links.Get(TestHost.UplinkName).Index), n => n.LinkIndex == _bridge);
    }

    [Fact]
    public void Proxy_entries_live_in_their_own_table()
    {
        _rtnl.Neighbours.Add(Neighbour.Proxy(_bridge, IPAddress.Parse("10.0.0.9")));

        Assert.Contains(Ip.Neighbours(_host.HostNamespaceName, proxy: true), n => n.GetProperty("dst").GetString() == "10.0.0.9");
        Assert.DoesNotContain(Ip.Neighbours(_host.HostNamespaceName), n => n.GetProperty("dst").GetString() == "10.0.0.9");
        var proxy = Assert.Single(_rtnl.Neighbours.List(_bridge, proxies: true));
        Assert.True(proxy.IsProxy);
        Assert.Equal(IPAddress.Parse("10.0.0.9"), proxy.Address);
        Assert.DoesNotContain(_rtnl.Neighbours.List(), n => n.IsProxy);

        _rtnl.Neighbours.Delete(proxy);
        Assert.Empty(Ip.Neighbours(_host.HostNamespaceName, proxy: true));
    }

    [Fact]
    public void Counts_entries_per_family()
    {
        _rtnl.Neighbours.Add(new Neighbour(_bridge, IPAddress.Parse("10.0.0.2")) { LinkLayerAddress = Mac2 });
        _rtnl.Neighbours.Add(new Neighbour(_bridge, IPAddress.Parse("10.0.0.3")) { LinkLayerAddress = Mac3 });
        _rtnl.Neighbours.Add(new Neighbour(_bridge, IPAddress.Parse("fd00:a::2")) { LinkLayerAddress = Mac2 });
        _rtnl.Neighbours.Add(Neighbour.Proxy(_bridge, IPAddress.Parse("10.0.0.9")));

        // The kernel adds and expires entries of its own meanwhile (the test host's uplink resolving its peer):
        // the counts must be what ip lists at the same moment, read again if an entry came or went in between.
        List<System.Text.Json.JsonElement> listed = [];
        Eventually.True(() =>
        {
            var (v4, all) = (_rtnl.Neighbours.Count(AddressFamily.InterNetwork), _rtnl.Neighbours.Count());
            listed = [.. Ip.Json("-n", _host.HostNamespaceName, "-j", "neigh", "show", "nud", "all")];
            return all == listed.Count && v4 == listed.Count(n => !n.GetProperty("dst").GetString()!.Contains(':', StringComparison.Ordinal));
        }, "the counts match ip neigh show nud all");
        // The bridge's own multicast reports add entries of their own (224.0.0.22, ff02::16) whenever they go out.
        var onBridge = listed.Where(n => n.GetProperty("dev").GetString() == "br0").Select(n => n.GetProperty("dst").GetString()).ToList();
        Assert.Equal(["10.0.0.2", "10.0.0.3", "fd00:a::2"], onBridge.Where(a => a is "10.0.0.2" or "10.0.0.3" or "fd00:a::2" or "10.0.0.9").Order());
        Assert.DoesNotContain("10.0.0.9", onBridge); // the proxy entry lives in its own table
    }

    [Fact]
    public void Delete_removes_and_a_second_delete_is_not_found()
    {
        var neighbour = new Neighbour(_bridge, IPAddress.Parse("10.0.0.2")) { LinkLayerAddress = Mac2 };
        _rtnl.Neighbours.Add(neighbour);
        _rtnl.Neighbours.Delete(neighbour);
        Assert.DoesNotContain(Ip.Neighbours(_host.HostNamespaceName), n => n.GetProperty("dst").GetString() == "10.0.0.2");

        var error = Assert.Throws<KernelObjectNotFoundException>(() => _rtnl.Neighbours.Delete(neighbour));
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Equal(KernelObjectKind.Neighbour, error.Kind);
        Assert.Equal($"ip neigh del 10.0.0.2 dev {_bridge}", error.Operation);
    }

    [Fact]
    public void Delete_if_exists_says_whether_there_was_one()
    {
        var neighbour = new Neighbour(_bridge, IPAddress.Parse("10.0.0.3")) { LinkLayerAddress = Mac2 };
        _rtnl.Neighbours.Add(neighbour);

        Assert.True(_rtnl.Neighbours.DeleteIfExists(neighbour));
        Assert.DoesNotContain(Ip.Neighbours(_host.HostNamespaceName), n => n.GetProperty("dst").GetString() == "10.0.0.3");
        Assert.False(_rtnl.Neighbours.DeleteIfExists(neighbour));
    }

    [Fact]
    public void An_existing_entry_is_a_typed_exists_error()
    {
        var neighbour = new Neighbour(_bridge, IPAddress.Parse("10.0.0.2")) { LinkLayerAddress = Mac2 };
        _rtnl.Neighbours.Add(neighbour);

        var error = Assert.Throws<KernelObjectExistsException>(() => _rtnl.Neighbours.Add(neighbour with { LinkLayerAddress = Mac3 }));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal(KernelObjectKind.Neighbour, error.Kind);
        Assert.Equal("10.0.0.2", error.ObjectName);
    }

    [Fact]
    public void An_entry_on_a_missing_link_is_link_not_found()
    {
        var error = Assert.Throws<LinkNotFoundException>(() => _rtnl.Neighbours.Replace(new Neighbour(9999, IPAddress.Parse("10.0.0.2")) { LinkLayerAddress = Mac2 }));
        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.StartsWith("ip neigh replace 10.0.0.2 lladdr 06:00:0a:00:00:02 dev 9999", error.Operation, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _host.Dispose();
    }
}
