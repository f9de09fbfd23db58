using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.EndToEndTests;

/// <summary>
/// Real guests on warm-pool slots: a guest boots on a slot's devices as on a cold VM's, and a slot reused after a guest
/// that was still running (its QEMU holding the TAP, a TCP stream open to the outside) gives the next guest a clean
/// datapath while the old guest, on the same address and MAC, reaches nothing.
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

    [Fact]
    public void A_guest_boots_on_a_slot_and_the_next_guest_on_it_inherits_nothing_of_the_one_still_running()
    {
        using var outside = OutsideServer.Start(_env.Host);
        var internet = TestHost.OutsideAddress.ToString();
        var first = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("first"), Network = "warm" });
        using var lingering = QemuGuest.Boot(first, Probe.Steps(Probe.Ping(first.Ipv4.Gateway), Probe.Tcp(internet, OutsideServer.Port), Probe.Serve));
        Assert.All(lingering.Results().Values, r => Assert.True(r.Ok, lingering.Transcript));

        // Deleted while its guest runs and streams to the outside: the slot goes back, and is scrubbed.
        Assert.True(_env.Engine.DeleteVm(first.VmId).Deleted);
        Eventually.True(() => _env.Engine.GetNetwork("warm").Pool.Ready == 1, "the slot is scrubbed and ready again");
        var second = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("second"), Network = "warm" });
        Assert.Equal(first.Ipv4.Address, second.Ipv4.Address);
        Assert.Equal(first.GuestMac, second.GuestMac);

        using var next = QemuGuest.Boot(second, Probe.Steps(Probe.Ping(second.Ipv4.Gateway), Probe.Ping(internet), Probe.Tcp(internet, OutsideServer.Port)));
        Assert.All(next.Results().Values, r => Assert.True(r.Ok, next.Transcript));

        // The old guest, same address and MAC, still runs on a TAP that no longer exists: nothing it sends arrives.
        var stale = lingering.Run(Probe.Ping(first.Ipv4.Gateway, 3), Probe.Tcp(internet, OutsideServer.Port, 3));
        Assert.All(stale.Values, r => Assert.False(r.Ok, lingering.Transcript));
    }

    public void Dispose() => _env.Dispose();
}
