using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

[Trait("Category", Categories.Integration)]
public sealed class LinksTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly Rtnl _rtnl;

    public LinksTests() => _rtnl = Rtnl.Open(_host.HostNamespace);

    [Fact]
    public void Creates_a_bridge_that_ip_sees_up()
    {
        _rtnl.Links.Create(new LinkSpec("br-test", new Bridge()) { Up = true, Mtu = 1400 });

        var link = Ip.Link(_host.HostNamespaceName, "br-test");
        Assert.NotNull(link);
        Assert.Equal("bridge", link.Value.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal(1400, link.Value.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", link.Value.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void Creates_a_veth_whose_peer_lands_up_inside_another_namespace()
    {
        var vmNs = _host.VmId("peer");
        using var ns = NetworkNamespace.Create("vm-" + vmNs);
        _rtnl.Links.Create(new LinkSpec("v-host", new Veth("eth0") { PeerNamespace = ns }) { Up = true });
        using (var inside = Rtnl.Open(ns))
        {
            inside.Links.SetUp("eth0");
        }

        Assert.NotNull(Ip.Link(_host.HostNamespaceName, "v-host"));
        Assert.Null(Ip.Link(_host.HostNamespaceName, "eth0"));
        var peer = Ip.Link("vm-" + vmNs, "eth0");
        Assert.NotNull(peer);
        Assert.Contains("UP", peer.Value.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void A_link_created_with_an_alias_carries_it_and_a_set_alias_is_read_back_and_cleared()
    {
        _rtnl.Links.Create(new LinkSpec("br-alias", new Bridge()) { Alias = "fireline:abc" });
        Assert.Equal("fireline:abc", Ip.Link(_host.HostNamespaceName, "br-alias")!.Value.GetProperty("ifalias").GetString());

        Ip.Run("-n", _host.HostNamespaceName, "link", "set", "br-alias", "alias", "set by ip");
        Assert.Equal("set by ip", _rtnl.Links.Get("br-alias").Alias);
        Assert.Equal("set by ip", _rtnl.Links.List().Single(l => l.Name == "br-alias").Alias);

        _rtnl.Links.SetAlias("br-alias", "");
        Assert.Null(_rtnl.Links.Get("br-alias").Alias);
        Assert.False(Ip.Link(_host.HostNamespaceName, "br-alias")!.Value.TryGetProperty("ifalias", out _));
    }

    [Fact]
    public void Several_links_get_one_alias_in_one_call()
    {
        _rtnl.Links.Create(new LinkSpec("br-many0", new Bridge()));
        _rtnl.Links.Create(new LinkSpec("br-many1", new Bridge()));

        _rtnl.Links.SetAlias([_rtnl.Links.Get("br-many0"), _rtnl.Links.Get("br-many1")], "fireline:abc");

        Assert.All(new[] { "br-many0", "br-many1" },
            name => Assert.Equal("fireline:abc", Ip.Link(_host.HostNamespaceName, name)!.Value.GetProperty("ifalias").GetString()));
    }

    [Fact]
    public void A_create_that_finds_its_name_taken_leaves_the_existing_links_alias_alone()
    {
        Ip.Run("-n", _host.HostNamespaceName, "link", "add", "taken0", "type", "bridge");

        Assert.Throws<LinkExistsException>(() => _rtnl.Links.Create(new LinkSpec("taken0", new Bridge()) { Alias = "fireline:abc" }));
        Assert.Null(_rtnl.Links.Get("taken0").Alias);
    }

    [Fact]
    public void A_taken_name_is_a_typed_error_with_errno_and_the_kernels_words()
    {
        _rtnl.Links.Create(new LinkSpec("dup0", new Bridge()));

        var error = Assert.Throws<LinkExistsException>(() => _rtnl.Links.Create(new LinkSpec("dup0", new Bridge())));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Contains("ip link add dup0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_link_is_a_typed_not_found_error()
    {
        var error = Assert.Throws<LinkNotFoundException>(() => _rtnl.Links.Get("nosuch0"));
        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Equal("nosuch0", error.ObjectName);
        Assert.False(_rtnl.Links.DeleteIfExists("nosuch0"));
    }

    [Fact]
    public void Enslaves_sets_mac_mtu_and_lists()
    {
        _rtnl.Links.Create(new LinkSpec("br1", new Bridge()) { Up = true });
        _rtnl.Links.Create(new LinkSpec("d1", new Veth("d1peer")));
        _rtnl.Links.SetMaster("d1", "br1");
        _rtnl.Links.SetAddress("d1", MacAddress.Parse("06:00:0a:64:00:02"));
        _rtnl.Links.SetMtu("d1", 1300);
        _rtnl.Links.SetUp("d1");

        var seen = Ip.Link(_host.HostNamespaceName, "d1")!.Value;
        Assert.Equal("br1", seen.GetProperty("master").GetString());
        Assert.Equal("06:00:0a:64:00:02", seen.GetProperty("address").GetString());
        Assert.Equal(1300, seen.GetProperty("mtu").GetInt32());

        var listed = _rtnl.Links.List();
        var d1 = Assert.Single(listed, l => l.Name == "d1");
        Assert.Equal(listed.Single(l => l.Name == "br1").Index, d1.MasterIndex);
        Assert.Equal("bridge", d1.PortKind);
        Assert.True(d1.IsUp);

        _rtnl.Links.SetNoMaster("d1");
        Assert.False(Ip.Link(_host.HostNamespaceName, "d1")!.Value.TryGetProperty("master", out _));
    }

    [Fact]
    public void Deletes_and_renames()
    {
        _rtnl.Links.Create(new LinkSpec("old0", new Bridge()));
        _rtnl.Links.Rename("old0", "new0");
        Assert.Null(Ip.Link(_host.HostNamespaceName, "old0"));
        Assert.NotNull(Ip.Link(_host.HostNamespaceName, "new0"));

        _rtnl.Links.Delete("new0");
        Assert.Null(Ip.Link(_host.HostNamespaceName, "new0"));
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _host.Dispose();
    }
}
