using Fireline.TestSupport;
using Fireline.Tuning;

namespace Fireline.IntegrationTests.Tuning;

/// <summary>
/// <c>host tune</c> against a test host: per-namespace keys are set in the test host only; machine-wide keys are
/// diffed and never written (the test host is not the machine's namespace), so the machine is left as it was.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class TuneTests : IDisposable
{
    private readonly EngineHost _env = new();

    [Fact]
    public void The_diff_covers_the_profile_and_says_which_keys_are_machine_wide()
    {
        var before = MachineValues();

        var report = _env.Engine.Tune(apply: false, writeFile: null);

        Assert.False(report.Applied);
        Assert.False(report.MachineNamespace);
        Assert.Equal(TuningProfile.Targets.Select(t => t.Key), report.Settings.Select(s => s.Key));
        var backlog = report.Settings.Single(s => s.Key == "net.core.netdev_max_backlog");
        Assert.Equal(SysctlScope.Machine, backlog.Scope);
        // Invisible in a child namespace: read in the machine's, where it is.
        Assert.Equal(Tool.Run("sysctl", "-n", "net.core.netdev_max_backlog").Trim(), backlog.Current);
        Assert.Equal(SysctlScope.Namespace, report.Settings.Single(s => s.Key == "net.ipv4.tcp_rmem").Scope);
        Assert.DoesNotContain(report.Settings, s => s.Status is TuneStatus.Set or TuneStatus.Skipped);
        Assert.Equal(before, MachineValues());
    }

    [Fact]
    public void Apply_sets_the_test_hosts_own_keys_skips_machine_wide_ones_and_is_idempotent()
    {
        var before = MachineValues();
        var rootRmem = Tool.Run("sysctl", "-n", "net.ipv4.tcp_rmem").Trim();

        var first = _env.Engine.Tune(apply: true, writeFile: null);

        foreach (var setting in first.Settings.Where(s => s.Scope == SysctlScope.Namespace))
        {
            Assert.Contains(setting.Status, new[] { TuneStatus.Set, TuneStatus.Ok });
            Assert.Equal(setting.Wanted, Normalise(_env.Host.InHost("sysctl", "-n", setting.Key)));
        }

        Assert.Contains(first.Settings, s => s.Key == "net.ipv4.tcp_fastopen" && s.Status == TuneStatus.Set && s.Wanted == "3");
        Assert.All(first.Settings.Where(s => s.Scope == SysctlScope.Machine && s.Status != TuneStatus.Ok && s.Status != TuneStatus.Unavailable),
            s => Assert.Equal(TuneStatus.Skipped, s.Status));
        Assert.Equal(before, MachineValues());
        Assert.Equal(rootRmem, Tool.Run("sysctl", "-n", "net.ipv4.tcp_rmem").Trim());

        var second = _env.Engine.Tune(apply: true, writeFile: null);
        Assert.All(second.Settings.Where(s => s.Scope == SysctlScope.Namespace), s => Assert.Equal(TuneStatus.Ok, s.Status));
    }

    [Fact]
    public void Write_replaces_the_file_whole()
    {
        var file = Path.Combine(_env.StateDirectory, "90-fireline.conf");
        File.WriteAllText(file, "net.core.somaxconn = 1\n");

        _env.Engine.Tune(apply: false, writeFile: file);
        var first = File.ReadAllText(file);
        _env.Engine.Tune(apply: false, writeFile: file);

        Assert.Equal(first, File.ReadAllText(file));
        foreach (var target in TuningProfile.Targets)
        {
            Assert.Single(first.Split('\n'), line => line.TrimStart('-').StartsWith(target.Key + " = ", StringComparison.Ordinal));
        }

        Assert.DoesNotContain("somaxconn = 1\n", first, StringComparison.Ordinal);
        Assert.Equal([Path.GetFileName(file)], Directory.GetFiles(_env.StateDirectory, "*.conf*").Select(Path.GetFileName));
    }

    [Fact]
    public void The_cli_shows_the_diff_and_which_keys_are_machine_wide()
    {
        _env.Engine.Dispose(); // the CLI takes the state directory's lock
        var result = Cli.Run([.. _env.CliScope, "-o", "table", "host", "tune"]);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("net.ipv4.neigh.default.gc_thresh3", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("machine", result.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>The machine's own values of every machine-wide key, read in the root namespace.</summary>
    private static Dictionary<string, string> MachineValues()
        => TuningProfile.Targets.Where(t => t.Scope == SysctlScope.Machine)
            .ToDictionary(t => t.Key, t => Tool.TryRun("sysctl", "-n", t.Key).StandardOutput.Trim());

    private static string Normalise(string value) => string.Join(' ', value.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));

    public void Dispose() => _env.Dispose();
}
