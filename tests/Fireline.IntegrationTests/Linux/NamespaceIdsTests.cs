using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

[Trait("Category", Categories.Integration)]
public sealed class NamespaceIdsTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly Rtnl _rtnl;

    public NamespaceIdsTests() => _rtnl = Rtnl.Open(_host.HostNamespace);

    [Fact]
    public void A_veths_link_namespace_id_is_the_id_of_its_peers_namespace()
    {
        using var vm = NetworkNamespace.Create("vm-" + _host.VmId("peer"));
        using var other = NetworkNamespace.Create("vm-" + _host.VmId("other"));
        _rtnl.NamespaceIds.Assign(other);
        _rtnl.Links.Create(new LinkSpec("v-host", new Veth("eth0") { PeerNamespace = vm }));

        var link = _rtnl.Links.Get("v-host");
        var id = _rtnl.NamespaceIds.GetId(vm);
        Assert.NotNull(id);
        Assert.Equal(id, link.LinkNamespaceId);
        Assert.NotEqual(_rtnl.NamespaceIds.GetId(other), link.LinkNamespaceId);
        Assert.Equal(id, Assert.Single(_rtnl.Links.List(), l => l.Name == "v-host").LinkNamespaceId);
        Assert.Equal(id, Ip.Link(_host.HostNamespaceName, "v-host")!.Value.GetProperty("link_netnsid").GetInt32());
        // The uplink's peer is in the outside namespace: a different id.
        Assert.NotEqual(id, _rtnl.Links.Get(TestHost.UplinkName).LinkNamespaceId);
    }

    [Fact]
    public void A_fresh_namespace_has_no_id_until_one_is_assigned()
    {
        var name = "vm-" + _host.VmId("fresh");
        using var ns = NetworkNamespace.Create(name);
        Assert.Null(_rtnl.NamespaceIds.GetId(ns));

        var id = _rtnl.NamespaceIds.Assign(ns);

        Assert.Equal(id, _rtnl.NamespaceIds.GetId(ns));
        Assert.Equal(id, _rtnl.NamespaceIds.EnsureId(ns));
        var seen = Ip.Json("-n", _host.HostNamespaceName, "-j", "netns", "list-id");
        Assert.Contains(seen, e => e.GetProperty("nsid").GetInt32() == id && e.GetProperty("name").GetString() == name);
    }

    [Fact]
    public void Assigns_a_chosen_id_and_refuses_a_second_one()
    {
        using var ns = NetworkNamespace.Create("vm-" + _host.VmId("chosen"));

        Assert.Equal(42, _rtnl.NamespaceIds.Assign(ns, 42));
        Assert.Equal(42, _rtnl.NamespaceIds.GetId(ns));

        var error = Assert.Throws<KernelObjectExistsException>(() => _rtnl.NamespaceIds.Assign(ns));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal(KernelObjectKind.NamespaceId, error.Kind);
        Assert.StartsWith("ip netns set vm-", error.Operation, StringComparison.Ordinal);
        Assert.NotNull(error.KernelMessage);
    }

    [Fact]
    public void EnsureId_assigns_once()
    {
        using var ns = NetworkNamespace.Create("vm-" + _host.VmId("ensure"));

        var first = _rtnl.NamespaceIds.EnsureId(ns);

        Assert.Equal(first, _rtnl.NamespaceIds.EnsureId(ns));
        Assert.Equal(first, _rtnl.NamespaceIds.GetId(ns));
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _host.Dispose();
    }
}
