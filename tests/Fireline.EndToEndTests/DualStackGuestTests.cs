using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.EndToEndTests;

/// <summary>A dual-stack guest configures IPv6 from Fireline's boot argument and reaches its IPv6 gateway and a peer.</summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class DualStackGuestTests : IDisposable
{
    private readonly EngineHost _env = new();

    public DualStackGuestTests() => _env.Engine.InitHost(new HostInitRequest { Ipv6Prefix = "fd00:64::/64" });

    [Fact]
    public void A_dual_stack_guest_reaches_its_ipv6_gateway_and_peer()
    {
        var a = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("a"), Ipv6 = true });
        var b = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("b"), Ipv6 = true });
        using var peer = QemuGuest.Boot(b, Probe.Steps(Probe.Ping6(b.Ipv6!.Gateway), Probe.Serve));
        using var guest = QemuGuest.Boot(a, Probe.Steps(Probe.Ping6(a.Ipv6!.Gateway), Probe.Ping6(b.Ipv6.Address, 60), Probe.Ping(b.Ipv4.Address, 60)));

        var results = guest.Results();
        Assert.True(results[Probe.Ping6(a.Ipv6.Gateway)].Ok, guest.Transcript);
        Assert.True(results[Probe.Ping6(b.Ipv6.Address, 60)].Ok, guest.Transcript);
        Assert.True(results[Probe.Ping(b.Ipv4.Address, 60)].Ok, guest.Transcript);
    }

    public void Dispose() => _env.Dispose();
}
