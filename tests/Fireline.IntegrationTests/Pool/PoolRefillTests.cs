using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Pool;

/// <summary>
/// When the warm pool refills, seen from the kernel: under churn the slots deletes give back are what refills it (no
/// slot is built and no VM's devices torn down per cycle); a network below half its pool refills at once however busy;
/// a process that ends finishes the refill it owes. The quiet period is an hour here, so nothing depends on timing.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class PoolRefillTests : IDisposable
{
    private readonly EngineHost _env = new(options => options with { PoolQuietPeriod = TimeSpan.FromHours(1) });

    public PoolRefillTests()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _env.Engine.ApplyNetworks("networks:\n  - name: warm\n    subnet: 10.79.0.0/24\n    pool: 4\n", dryRun: false, prune: false);
    }

    private int Ready => _env.Engine.GetNetwork("warm").Pool.Ready;

    private void WaitReady(int ready) => Eventually.True(() => Ready == ready, $"the pool holds {ready} ready slot(s)");

    /// <summary>The host veths on the network's bridge: VMs' and slots'.</summary>
    private HashSet<string> Ports()
        => [.. Tool.Run("ip", "-n", _env.Host.HostNamespaceName, "-o", "link", "show", "master", "br-warm")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(':')[1].Trim().Split('@')[0])];

    [Fact]
    public void A_churn_recycles_the_slots_deletes_give_back_and_builds_none()
    {
        WaitReady(4);
        var slots = Ports();
        Assert.Equal(4, slots.Count);

        for (var cycle = 0; cycle < 5; cycle++)
        {
            var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId($"c{cycle}"), Network = "warm" });
            Assert.True(slots.Contains(vm.HostVeth), $"cycle {cycle}: {vm.HostVeth} is one of the pool's slots ({Ready} ready)"); // taken from the pool
            _env.Engine.DeleteVm(vm.VmId);
        }

        WaitReady(4);
        Assert.Equal(slots, Ports()); // the same four slots, each reused: none built, none torn down
        KernelState.AssertConsistent(_env, _env.Engine.ListVms(), slots: 4);
    }

    [Fact]
    public void A_network_below_half_its_pool_refills_at_once_and_an_ending_process_finishes_the_refill()
    {
        WaitReady(4);
        for (var i = 0; i < 3; i++)
        {
            _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId($"v{i}"), Network = "warm" });
        }

        WaitReady(2); // one slot left was below half: filled at once up to half, then it waits for a quiet network
        Assert.Equal(2, Ready);

        _env.Reopen(); // the engine that ends (as a CLI call does) finishes its refill, quiet or not
        Assert.Equal(4, Ready);
        Assert.Equal(7, Ports().Count);
        KernelState.AssertConsistent(_env, _env.Engine.ListVms(), slots: 4);
    }

    public void Dispose() => _env.Dispose();
}
