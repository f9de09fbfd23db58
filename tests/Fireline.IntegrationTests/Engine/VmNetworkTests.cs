using Fireline.Errors;
using Fireline.Firecracker;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Engine;

[Trait("Category", Categories.Integration)]
public sealed class VmNetworkTests : IDisposable
{
    private readonly EngineHost _env = new();

    public VmNetworkTests() => _env.Engine.InitHost(new HostInitRequest());

    private string Ns => _env.Host.HostNamespaceName;

    [Fact]
    public void Create_builds_namespace_tap_and_veth_and_prints_the_record()
    {
        var id = _env.Host.VmId("a");

        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = id, RateLimits = new RateLimits { Rx = new RateLimit { Bandwidth = Bucket.ForBandwidth(10_000_000) } } });

        Assert.Equal($"vm-{id}", vm.Namespace);
        Assert.Equal($"/var/run/netns/vm-{id}", vm.NetnsPath);
        Assert.Equal("10.100.0.2", vm.Ipv4.Address);
        Assert.Equal(16, vm.Ipv4.PrefixLength);
        Assert.Equal("10.100.0.1", vm.Ipv4.Gateway);
        Assert.Equal("06:00:0a:64:00:02", vm.GuestMac);
        Assert.Equal("ip=10.100.0.2::10.100.0.1:255.255.0.0::eth0:off", vm.BootArgs);
        Assert.Equal(["--netns", $"/var/run/netns/vm-{id}"], vm.JailerArgs);
        Assert.Equal("tap0", vm.Firecracker.HostDevName);
        Assert.Equal(1_000_000, vm.Firecracker.RxRateLimiter!.Bandwidth!.Size);
        Assert.Null(vm.Firecracker.TxRateLimiter);
        Assert.Equal("ready", vm.State);

        var hostVeth = Ip.Link(Ns, vm.HostVeth)!.Value;
        Assert.Equal("br-vms", hostVeth.GetProperty("master").GetString());
        Assert.Contains("UP", hostVeth.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var tap = Ip.Link(vm.Namespace, "tap0")!.Value.GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal("tap", tap.GetProperty("type").GetString());
        Assert.True(tap.GetProperty("persist").GetBoolean());
        Assert.NotNull(Ip.Link(vm.Namespace, "veth0"));
        // Nothing in the namespace holds an address that could clash with the guest.
        Assert.DoesNotContain(Ip.Addresses(vm.Namespace).SelectMany(a => a.GetProperty("addr_info").EnumerateArray()),
            a => a.GetProperty("scope").GetString() != "host");
    }

    [Fact]
    public void Same_id_and_options_return_the_same_record_and_other_options_conflict()
    {
        var id = _env.Host.VmId("b");
        var first = _env.Engine.CreateVm(new VmCreateRequest { VmId = id });
        var links = Ip.LinkState(Ns);

        var second = _env.Engine.CreateVm(new VmCreateRequest { VmId = id });

        Assert.Equal(first.Ipv4, second.Ipv4);
        Assert.Equal(first.HostVeth, second.HostVeth);
        Assert.Equal(first.GuestMac, second.GuestMac);
        Assert.Equal(links, Ip.LinkState(Ns));
        var conflict = Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = id, RateLimits = new RateLimits { Tx = new RateLimit { Bandwidth = Bucket.ForBandwidth(5) } } }));
        Assert.Equal("conflict", conflict.Code);
        Assert.Single(_env.Engine.ListVms());
    }

    [Fact]
    public void Delete_removes_everything_and_succeeds_when_already_gone()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("c") });

        Assert.True(_env.Engine.DeleteVm(vm.VmId).Deleted);

        Assert.False(Ip.NamespaceExists(vm.Namespace));
        var veth = Ip.Link(Ns, vm.HostVeth);
        Assert.True(veth is null || !veth.Value.TryGetProperty("master", out _)); // off the bridge at once
        Eventually.True(() => Ip.Link(Ns, vm.HostVeth) is null, "the kernel frees the namespace and its veth");
        Assert.Empty(_env.Engine.ListVms());
        Assert.False(_env.Engine.DeleteVm(vm.VmId).Deleted);
        Assert.Equal("vm-not-found", Assert.Throws<FirelineException>(() => _env.Engine.GetVm(vm.VmId)).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-x")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Bad_ids_are_refused_and_change_nothing(string id)
    {
        var namespaces = global::Fireline.Linux.Namespaces.NetworkNamespace.List().Where(n => n.Contains(_env.Host.Prefix, StringComparison.Ordinal)).ToList();

        var error = Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = id }));

        Assert.Equal("invalid-vm-id", error.Code);
        Assert.Equal(namespaces, global::Fireline.Linux.Namespaces.NetworkNamespace.List().Where(n => n.Contains(_env.Host.Prefix, StringComparison.Ordinal)).ToList());
        Assert.Empty(_env.Engine.ListVms());
    }

    [Fact]
    public void Unknown_network_is_a_not_found_error()
    {
        var error = Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("d"), Network = "nope" }));
        Assert.Equal("network-not-found", error.Code);
    }

    [Fact]
    public void Ids_sharing_a_long_prefix_get_distinct_devices_and_addresses()
    {
        var common = _env.Host.VmId("same-leading-characters-");
        var a = _env.Engine.CreateVm(new VmCreateRequest { VmId = common + "1" });
        var b = _env.Engine.CreateVm(new VmCreateRequest { VmId = common + "2" });

        Assert.NotEqual(a.HostVeth, b.HostVeth);
        Assert.NotEqual(a.Ipv4.Address, b.Ipv4.Address);
        Assert.NotEqual(a.GuestMac, b.GuestMac);
        Assert.True(a.HostVeth.Length <= 15 && b.HostVeth.Length <= 15);
    }

    [Fact]
    public void Guests_reach_their_gateway_each_other_and_the_outside_through_nat()
    {
        var a = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("ga") });
        var b = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("gb") });
        using var guestA = new GuestStandIn(_env.Host, a);
        using var guestB = new GuestStandIn(_env.Host, b);

        Assert.True(guestA.Ping(a.Ipv4.Gateway));
        Assert.True(guestA.Ping(b.Ipv4.Address));
        Assert.True(guestB.Ping(TestHost.OutsideAddress.ToString()));
        // The outside sees the host's uplink address, not the guest's: NAT.
        using var server = OutsideServer.Start(_env.Host);
        guestB.Run("python3", "-c", $"import socket; socket.create_connection(('{TestHost.OutsideAddress}', {OutsideServer.Port}), 3).close()");
        Assert.Equal(TestHost.HostUplinkAddress.ToString(), server.FirstPeer());
    }

    /// <summary>
    /// The list is kept between writes, and after one only what changed is built again: a stale record kept by mistake
    /// would show the limits the VM had before.
    /// </summary>
    [Fact]
    public void A_list_after_a_write_shows_the_change_and_keeps_the_records_of_the_vms_that_did_not_change()
    {
        var (a, b) = (_env.Host.VmId("la"), _env.Host.VmId("lb"));
        _env.Engine.CreateVm(new VmCreateRequest { VmId = a });
        _env.Engine.CreateVm(new VmCreateRequest { VmId = b });
        var before = _env.Engine.ListVms();
        Assert.Same(before, _env.Engine.ListVms());

        _env.Engine.SetRateLimits(b, new RateLimits { Tx = new RateLimit { Bandwidth = Bucket.ForBandwidth(8_000_000) } });

        var after = _env.Engine.ListVms();
        Assert.NotSame(before, after);
        Assert.Same(before.Single(r => r.VmId == a), after.Single(r => r.VmId == a));
        Assert.Null(before.Single(r => r.VmId == b).Firecracker.TxRateLimiter);
        Assert.Equal(800_000, after.Single(r => r.VmId == b).Firecracker.TxRateLimiter!.Bandwidth!.Size);
    }

    public void Dispose() => _env.Dispose();
}
