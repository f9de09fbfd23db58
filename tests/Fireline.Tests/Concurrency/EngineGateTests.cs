using Fireline.Concurrency;

namespace Fireline.Tests.Concurrency;

/// <summary>The engine's ordering: VM operations side by side, a host-wide one alone.</summary>
public sealed class EngineGateTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Shared_operations_run_side_by_side()
    {
        using var gate = new EngineGate();
        using var both = new Barrier(2);

        // Each waits inside the gate for the other to be inside too: only possible side by side.
        var first = Task.Run(() => gate.Shared(() => both.SignalAndWait(Long)));
        var second = Task.Run(() => gate.Shared(() => both.SignalAndWait(Long)));

        Assert.True(await first && await second);
    }

    [Fact]
    public async Task A_host_wide_operation_waits_for_the_shared_ones_running_and_runs_alone()
    {
        using var gate = new EngineGate();
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var shared = Task.Run(() => gate.Shared(() =>
        {
            inside.Set();
            return release.Wait(Long);
        }));
        Assert.True(inside.Wait(Long));

        var exclusive = Task.Run(() => gate.Exclusive(() => shared.IsCompleted));

        Assert.NotSame(exclusive, await Task.WhenAny(exclusive, Task.Delay(TimeSpan.FromMilliseconds(200))));
        release.Set();
        Assert.True(await exclusive);
    }
}
