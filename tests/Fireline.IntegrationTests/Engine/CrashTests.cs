using Fireline.Faults;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Engine;

/// <summary>
/// The process is killed (SIGKILL) at every step of create and delete, then reconcile runs: nothing may be
/// left orphaned and every surviving record must be whole.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class CrashTests : IDisposable
{
    private readonly EngineHost _env = new();

    public CrashTests()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _env.Engine.Dispose(); // the CLI processes below take the state directory's lock
    }

    public static TheoryData<string> CreatePoints => [.. FaultPoints.Create];

    public static TheoryData<string> DeletePoints => [.. FaultPoints.Delete];

    [Theory]
    [MemberData(nameof(CreatePoints))]
    public void A_create_killed_at_any_step_is_finished_or_undone_by_reconcile(string point)
    {
        var id = _env.Host.VmId("crash");
        var killed = Cli.Run([.. _env.CliScope, "vm", "create", id], new Dictionary<string, string> { [FaultPoints.Variable] = point });
        Assert.Equal(137, killed.ExitCode); // 128 + SIGKILL: it died at the point, not before or after

        var reconcile = Cli.Run([.. _env.CliScope, "-o", "json", "reconcile"]);
        Assert.Equal(0, reconcile.ExitCode);

        var engine = _env.Reopen();
        KernelState.AssertConsistent(_env, engine.ListVms());
        // Whatever the outcome, the id can be created (again) and the result is whole.
        engine.CreateVm(new VmCreateRequest { VmId = id });
        KernelState.AssertConsistent(_env, engine.ListVms());
    }

    [Theory]
    [MemberData(nameof(DeletePoints))]
    public void A_delete_killed_at_any_step_is_finished_by_reconcile(string point)
    {
        var id = _env.Host.VmId("crash");
        Assert.Equal(0, Cli.Run([.. _env.CliScope, "vm", "create", id]).ExitCode);

        var killed = Cli.Run([.. _env.CliScope, "vm", "delete", id], new Dictionary<string, string> { [FaultPoints.Variable] = point });
        Assert.Equal(137, killed.ExitCode);

        Assert.Equal(0, Cli.Run([.. _env.CliScope, "reconcile"]).ExitCode);
        var engine = _env.Reopen();
        Assert.Empty(engine.ListVms());
        KernelState.AssertConsistent(_env, []);
    }

    [Fact]
    public void A_storm_of_kill_minus_nine_leaves_nothing_reconcile_cannot_settle()
    {
        var random = new Random(7);
        var ids = Enumerable.Range(0, 6).Select(i => _env.Host.VmId($"s{i}")).ToArray();
        for (var round = 0; round < 30; round++)
        {
            var verb = random.Next(3) == 0 ? "delete" : "create";
            var start = new System.Diagnostics.ProcessStartInfo(Cli.Path) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])[.. _env.CliScope, "-o", "json", "vm", verb, ids[random.Next(ids.Length)]])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = System.Diagnostics.Process.Start(start)!;
            if (!process.WaitForExit(random.Next(1, 40)))
            {
                process.Kill();
            }

            process.WaitForExit();
        }

        Assert.Equal(0, Cli.Run([.. _env.CliScope, "reconcile"]).ExitCode);
        var engine = _env.Reopen();
        KernelState.AssertConsistent(_env, engine.ListVms());
        Assert.Empty(engine.Reconcile().Actions); // a second reconcile finds nothing more
    }

    public void Dispose() => _env.Dispose();
}
