using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.EndToEndTests;

/// <summary>
/// Real guests on warm-pool slots: a guest boots on a slot's devices as on a cold VM's; a slot reused after a guest that
/// made connections to the outside gives the next guest a clean datapath (no flow of the old one); a slot whose guest
/// still runs is replaced, never handed out, and that guest reaches nothing.
/// </summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class PooledGuestTests : IDisposable
{
    private readonly EngineHost _env = new();

    public PooledGuestTests()
    {
        _env.Engine.InitHost(new HostInitRequest());
        // One address: the second VM gets the first one's slot back, scrubbed.
        _env.Engine.ApplyNetworks("networks:\n  - name: warm\n    subnet: 10.81.0.0/30\n    pool: 1\n", dryRun: false, prune: false);
        Eventually.True(() => _env.Engine.GetNetwork("warm").Pool.Ready == 1, "the slot is ready");
    }

    private static string Inode(string ns) => Tool.Run("stat", "-L", "-c", "%i", $"/var/run/netns/{ns}").Trim();

    [Fact]
    public void A_guest_boots_on_a_slot_and_the_next_guest_on_the_reused_slot_inherits_nothing()
    {
        using var outside = OutsideServer.Start(_env.Host);
        var internet = TestHost.OutsideAddress.ToString();
        var first = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("first"), Network = "warm" });
        var inode = Inode(first.Namespace);
        using (var guest = QemuGuest.Boot(first, Probe.Steps(Probe.Ping(first.Ipv4.Gateway), Probe.Tcp(internet, OutsideServer.Port), Probe.Serve)))
        {
            Assert.All(guest.Results().Values, r => Assert.True(r.Ok, guest.Transcript));
        } // the VMM stops first, as an orchestrator stops it before deleting the VM's network

        Assert.Contains($"src={first.Ipv4.Address} ", _env.Host.InHost("conntrack", "-L"), StringComparison.Ordinal);
        Assert.True(_env.Engine.DeleteVm(first.VmId).Deleted);
        Eventually.True(() => _env.Engine.GetNetwork("warm").Pool.Ready == 1, "the slot is scrubbed and ready again");
        Assert.DoesNotContain($"={first.Ipv4.Address} ", _env.Host.InHost("conntrack", "-L"), StringComparison.Ordinal);
        var second = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("second"), Network = "warm" });
        Assert.Equal(inode, Inode(second.Namespace)); // the first guest's slot, reused

        using var next = QemuGuest.Boot(second, Probe.Steps(Probe.Ping(second.Ipv4.Gateway), Probe.Ping(internet), Probe.Tcp(internet, OutsideServer.Port)));
        Assert.All(next.Results().Values, r => Assert.True(r.Ok, next.Transcript));
    }

    [Fact]
    public void A_slot_whose_guest_still_runs_is_replaced_and_that_guest_reaches_nothing()
    {
        var first = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("first"), Network = "warm" });
        var inode = Inode(first.Namespace);
        using var lingering = QemuGuest.Boot(first, Probe.Steps(Probe.Ping(first.Ipv4.Gateway), Probe.Serve));
        Assert.All(lingering.Results().Values, r => Assert.True(r.Ok, lingering.Transcript));

        Assert.True(_env.Engine.DeleteVm(first.VmId).Deleted); // its QEMU still runs inside the namespace
        Eventually.True(() => _env.Engine.GetNetwork("warm").Pool.Ready == 1, "a new slot is ready");
        var second = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("second"), Network = "warm" });
        Assert.NotEqual(inode, Inode(second.Namespace));

        using var next = QemuGuest.Boot(second, Probe.Steps(Probe.Ping(second.Ipv4.Gateway)));
        Assert.All(next.Results().Values, r => Assert.True(r.Ok, next.Transcript));
        // Same address and MAC as the new guest, on the old namespace: nothing it sends arrives.
        Assert.False(lingering.Run(Probe.Ping(first.Ipv4.Gateway, 3))[Probe.Ping(first.Ipv4.Gateway, 3)].Ok, lingering.Transcript);
    }

    public void Dispose() => _env.Dispose();
}
