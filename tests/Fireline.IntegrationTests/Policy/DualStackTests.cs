using Fireline.Errors;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Policy;

/// <summary>Dual stack: a network with an IPv6 prefix gives VMs an IPv6 address too, policed like IPv4.</summary>
[Trait("Category", Categories.Integration)]
public sealed class DualStackTests : IDisposable
{
    private readonly EngineHost _env = new();

    public DualStackTests() => _env.Engine.InitHost(new HostInitRequest { Ipv6Prefix = "fd00:64::/64" });

    [Fact]
    public void A_dual_stack_vm_gets_an_ipv6_address_derived_from_its_ipv4_and_a_boot_argument_for_it()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("v6"), Ipv6 = true });

        Assert.Equal(new IpConfig("fd00:64::a64:2", 64, "fd00:64::1"), vm.Ipv6);
        Assert.Equal("ip=10.100.0.2::10.100.0.1:255.255.0.0::eth0:off fireline.ipv6=fd00:64::a64:2/64,fd00:64::1", vm.BootArgs);
        Assert.Contains(Ip.AddressesOf(_env.Host.HostNamespaceName, "br-vms"), a => a.GetProperty("local").GetString() == "fd00:64::1");
        Assert.Null(_env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("v4") }).Ipv6);
    }

    [Fact]
    public void Guests_reach_their_ipv6_gateway_and_each_other_and_a_spoofed_ipv6_source_reaches_nothing()
    {
        var a = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("a"), Ipv6 = true });
        var b = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("b"), Ipv6 = true });
        using var guestA = new GuestStandIn(_env.Host, a);
        using var guestB = new GuestStandIn(_env.Host, b);

        Assert.True(guestA.Ping(a.Ipv6!.Gateway), "the IPv6 gateway answers");
        Assert.True(guestA.Ping(b.Ipv6!.Address), "a peer answers over IPv6");

        Ip.Run("-n", guestA.Namespace, "-6", "addr", "add", "fd00:64::dead/64", "dev", "eth0", "nodad");
        Assert.False(guestA.Run("ping", "-c", "1", "-W", "2", "-I", "fd00:64::dead", b.Ipv6.Address).ExitCode == 0, "a spoofed source is dropped");
        Assert.True(guestA.Run("ping", "-c", "1", "-W", "2", "-I", a.Ipv6.Address, b.Ipv6.Address).ExitCode == 0, "the guest's own address still works");
    }

    [Fact]
    public void Ipv6_needs_a_network_with_a_prefix()
    {
        _env.Engine.ApplyNetworks("networks:\n  - name: only4\n    subnet: 10.60.0.0/24\n", dryRun: false, prune: false);

        var error = Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("x"), Network = "only4", Ipv6 = true }));

        Assert.Equal("ipv6", error.Field);
        Assert.Contains("no IPv6 prefix", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _env.Dispose();
}
