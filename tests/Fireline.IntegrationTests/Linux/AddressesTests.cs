using System.Net;
using System.Net.Sockets;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

[Trait("Category", Categories.Integration)]
public sealed class AddressesTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly Rtnl _rtnl;
    private readonly int _bridge;

    public AddressesTests()
    {
        _rtnl = Rtnl.Open(_host.HostNamespace);
        _rtnl.Links.Create(new LinkSpec("br-vms", new Bridge()) { Up = true });
        _bridge = _rtnl.Links.Get("br-vms").Index;
    }

    [Fact]
    public void Adds_an_ipv4_address_that_ip_sees_with_its_broadcast()
    {
        _rtnl.Addresses.Add(new Address(_bridge, IPAddress.Parse("10.100.0.1"), 16) { Broadcast = IPAddress.Parse("10.100.255.255") });

        var seen = Assert.Single(Ip.AddressesOf(_host.HostNamespaceName, "br-vms"), a => a.GetProperty("family").GetString() == "inet");
        Assert.Equal("10.100.0.1", seen.GetProperty("local").GetString());
        Assert.Equal(16, seen.GetProperty("prefixlen").GetInt32());
        Assert.Equal("10.100.255.255", seen.GetProperty("broadcast").GetString());
        // The prefix route the kernel adds for it is there too.
        Assert.Contains(Ip.Routes(_host.HostNamespaceName), r => r.GetProperty("dst").GetString() == "10.100.0.0/16");
    }

    [Fact]
    public void Adds_an_ipv6_address_with_nodad_and_noprefixroute()
    {
        _rtnl.Addresses.Add(new Address(_bridge, IPAddress.Parse("fd00:100::1"), 64) { Flags = AddressFlags.NoDad | AddressFlags.NoPrefixRoute });

        var seen = Assert.Single(Ip.AddressesOf(_host.HostNamespaceName, "br-vms"), a => a.GetProperty("local").GetString() == "fd00:100::1");
        Assert.Equal(64, seen.GetProperty("prefixlen").GetInt32());
        Assert.True(seen.GetProperty("nodad").GetBoolean());
        Assert.True(seen.GetProperty("noprefixroute").GetBoolean());
        Assert.False(seen.TryGetProperty("tentative", out _));
        Assert.DoesNotContain(Ip.Routes(_host.HostNamespaceName, "-6"), r => r.GetProperty("dst").GetString() == "fd00:100::/64");
    }

    [Fact]
    public void Lists_by_link_and_family_with_the_kernels_flags()
    {
        _rtnl.Addresses.Add(new Address(_bridge, IPAddress.Parse("10.100.0.1"), 16));
        _rtnl.Addresses.Add(new Address(_bridge, IPAddress.Parse("fd00:100::1"), 64) { Flags = AddressFlags.NoDad });

        var v4 = Assert.Single(_rtnl.Addresses.List(_bridge, AddressFamily.InterNetwork));
        Assert.Equal(IPAddress.Parse("10.100.0.1"), v4.Local);
        Assert.Equal(16, v4.PrefixLength);
        Assert.Equal("br-vms", v4.Label);
        Assert.True((v4.Flags & AddressFlags.Permanent) != 0);

        var v6 = _rtnl.Addresses.List(_bridge, AddressFamily.InterNetworkV6);
        var ours = Assert.Single(v6, a => a.Local.Equals(IPAddress.Parse("fd00:100::1")));
        Assert.True((ours.Flags & AddressFlags.NoDad) != 0);
        Assert.All(v6, a => Assert.Equal(_bridge, a.LinkIndex));

        var all = _rtnl.Addresses.List();
        Assert.Contains(all, a => a.Local.Equals(IPAddress.Parse("198.51.100.2")) && a.PrefixLength == 24);
        Assert.Contains(all, a => a.Local.Equals(IPAddress.Loopback));
        Assert.Contains(all, a => a.Local.Equals(IPAddress.Parse("fd00:100::1")));
    }

    [Fact]
    public void Deletes_and_a_second_delete_is_not_found()
    {
        var address = new Address(_bridge, IPAddress.Parse("10.100.0.1"), 16);
        _rtnl.Addresses.Add(address);
        _rtnl.Addresses.Delete(address);
        Assert.DoesNotContain(Ip.AddressesOf(_host.HostNamespaceName, "br-vms"), a => a.GetProperty("family").GetString() == "inet");

        var error = Assert.Throws<KernelObjectNotFoundException>(() => _rtnl.Addresses.Delete(address));
        Assert.Equal(Errno.EADDRNOTAVAIL, error.Errno);
        Assert.Equal(KernelObjectKind.Address, error.Kind);
        Assert.Contains("ip addr del 10.100.0.1/16 dev", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleting_a_missing_ipv6_address_is_not_found()
    {
        var error = Assert.Throws<KernelObjectNotFoundException>(() => _rtnl.Addresses.Delete(new Address(_bridge, IPAddress.Parse("fd00:100::9"), 64)));
        Assert.Equal(Errno.EADDRNOTAVAIL, error.Errno);
    }

    [Fact]
    public void An_address_the_link_has_is_a_typed_exists_error()
    {
        _rtnl.Addresses.Add(new Address(_bridge, IPAddress.Parse("10.100.0.1"), 16));

        var error = Assert.Throws<KernelObjectExistsException>(() => _rtnl.Addresses.Add(new Address(_bridge, IPAddress.Parse("10.100.0.1"), 16)));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal(KernelObjectKind.Address, error.Kind);
        Assert.Equal("10.100.0.1/16", error.ObjectName);
        Assert.Contains("ip addr add 10.100.0.1/16 dev", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_to_a_missing_link_says_which_operation_failed()
    {
        var error = Assert.Throws<LinkNotFoundException>(() => _rtnl.Addresses.Add(new Address(9999, IPAddress.Parse("10.100.0.1"), 16)));
        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Equal("ip addr add 10.100.0.1/16 dev 9999", error.Operation);
        Assert.NotNull(error.KernelMessage);
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _host.Dispose();
    }
}
