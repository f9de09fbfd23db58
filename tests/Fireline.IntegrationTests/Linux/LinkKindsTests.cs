using System.Net;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

[Trait("Category", Categories.Integration)]
public sealed class LinkKindsTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly Rtnl _rtnl;
    private readonly int _uplink;

    public LinkKindsTests()
    {
        _rtnl = Rtnl.Open(_host.HostNamespace);
        _uplink = _rtnl.Links.Get(TestHost.UplinkName).Index;
    }

    [Fact]
    public void Creates_a_vxlan_that_ip_sees_with_its_settings()
    {
        _rtnl.Links.Create(new LinkSpec("vx42", new Vxlan(42)
        {
            Local = TestHost.HostUplinkAddress,
            Remote = TestHost.OutsideAddress,
            UnderlayIndex = _uplink,
            Learning = false,
            Ttl = 64,
        }) { Up = true });

        var data = Ip.Link(_host.HostNamespaceName, "vx42")!.Value.GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal(42, data.GetProperty("id").GetInt32());
        Assert.Equal("198.51.100.2", data.GetProperty("local").GetString());
        Assert.Equal("198.51.100.1", data.GetProperty("remote").GetString());
        Assert.Equal(TestHost.UplinkName, data.GetProperty("link").GetString());
        Assert.Equal(Vxlan.IanaPort, data.GetProperty("port").GetInt32());
        Assert.False(data.GetProperty("learning").GetBoolean());
        Assert.Equal(64, data.GetProperty("ttl").GetInt32());
        var link = _rtnl.Links.Get("vx42");
        Assert.Equal("vxlan", link.Kind);
        Assert.True(link.IsUp);
    }

    [Fact]
    public void Creates_an_ipv4_multicast_vxlan()
    {
        _rtnl.Links.Create(new LinkSpec("vx43", new Vxlan(43) { Group = IPAddress.Parse("239.1.1.1"), UnderlayIndex = _uplink, DestinationPort = 8472 }));

        var data = Ip.Link(_host.HostNamespaceName, "vx43")!.Value.GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal("239.1.1.1", data.GetProperty("group").GetString());
        Assert.Equal(8472, data.GetProperty("port").GetInt32());
        Assert.True(data.GetProperty("learning").GetBoolean());
    }

    [Fact]
    public void A_vxlan_with_a_taken_vni_and_port_is_a_typed_error()
    {
        _rtnl.Links.Create(new LinkSpec("vx44", new Vxlan(44) { Remote = TestHost.OutsideAddress }));

        var error = Assert.ThrowsAny<KernelObjectExistsException>(() => _rtnl.Links.Create(new LinkSpec("vx44b", new Vxlan(44) { Remote = TestHost.OutsideAddress })));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Contains("VNI", error.KernelMessage, StringComparison.Ordinal);
        Assert.Contains("ip link add vx44b type vxlan id 44 remote 198.51.100.1", error.Operation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vlan_is_not_supported_on_this_kernel_and_says_so()
    {
        var error = Assert.Throws<KernelNotSupportedException>(() => _rtnl.Links.Create(new LinkSpec("uplink0.101", new Vlan(_uplink, 101))));

        Assert.Equal(Errno.EOPNOTSUPP, error.Errno);
        Assert.StartsWith("ip link add uplink0.101 type vlan id 101", error.Operation, StringComparison.Ordinal);
        Assert.Equal("Unknown device type", error.KernelMessage);
        Assert.Null(Ip.Link(_host.HostNamespaceName, "uplink0.101"));
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _host.Dispose();
    }
}
