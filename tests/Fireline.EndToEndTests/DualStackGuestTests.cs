using Fireline.Addressing;
using Fireline.Host;
using Fireline.Linux;
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
        Assert.All(peer.Results().Values, r => Assert.True(r.Ok, peer.Transcript)); // up before the other pings it
        using var guest = QemuGuest.Boot(a, Probe.Steps(Probe.Ping6(a.Ipv6!.Gateway), Probe.Ping6(b.Ipv6.Address), Probe.Ping(b.Ipv4.Address)));

        var results = guest.Results();
        Assert.True(results[Probe.Ping6(a.Ipv6.Gateway)].Ok, guest.Transcript);
        Assert.True(results[Probe.Ping6(b.Ipv6.Address)].Ok, guest.Transcript);
        Assert.True(results[Probe.Ping(b.Ipv4.Address)].Ok, guest.Transcript);
    }

    /// <summary>
    /// A real guest kernel's IPv6, link-local addresses included: on a network whose ingress default is deny a peer
    /// answers neither on its global nor on its link-local address (neighbour discovery still works, so the
    /// gateway answers), where on a network that allows it both answer.
    /// </summary>
    [Fact]
    public void Link_local_ipv6_between_guests_follows_the_networks_policy()
    {
        _env.Engine.ApplyNetworks("""
            networks:
              - {name: closed, subnet: 10.104.0.0/24, ipv6: fd00:104::/64, defaultIngress: deny}
              - {name: open, subnet: 10.105.0.0/24, ipv6: fd00:105::/64}
            """, dryRun: false, prune: false);
        foreach (var (network, answers) in new[] { ("closed", false), ("open", true) })
        {
            var peerVm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId(network + "-p"), Network = network, Ipv6 = true });
            var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId(network + "-g"), Network = network, Ipv6 = true });
            var linkLocal = Ipv6Prefix.LinkLocal(MacAddress.Parse(peerVm.GuestMac)).ToString();
            using var peer = QemuGuest.Boot(peerVm, Probe.Steps(Probe.Ping6(peerVm.Ipv6!.Gateway), Probe.Serve));
            Assert.All(peer.Results().Values, r => Assert.True(r.Ok, peer.Transcript));
            string[] toPeer = [Probe.Ping6(linkLocal, 5), Probe.Ping6(peerVm.Ipv6.Address, 5)];
            using var guest = QemuGuest.Boot(vm, Probe.Steps([Probe.Ping6(vm.Ipv6!.Gateway), .. toPeer]));

            var results = guest.Results();
            Assert.True(results[Probe.Ping6(vm.Ipv6.Gateway)].Ok, guest.Transcript);
            Assert.All(toPeer, step => Assert.True(results[step].Ok == answers, $"{network}: {step}\n{guest.Transcript}"));
        }
    }

    public void Dispose() => _env.Dispose();
}
