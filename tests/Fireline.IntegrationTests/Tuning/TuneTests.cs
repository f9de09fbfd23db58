using Fireline.TestSupport;
using Fireline.Tuning;

namespace Fireline.IntegrationTests.Tuning;

/// <summary>
/// <c>host tune</c> against a test host: per-namespace keys are set in the test host only; machine-wide keys are
/// diffed and never written (the test host is not the machine's namespace), so the machine is left as it was. The
/// profile file goes to a temporary directory (the engine's) or to a private mount namespace's /etc/sysctl.d (the CLI's).
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class TuneTests : IDisposable
{
    private const UnixFileMode SysctlFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly string _sysctlDirectory = Directory.CreateTempSubdirectory("fireline-sysctl.d-").FullName;
    private readonly EngineHost _env;

    public TuneTests() => _env = new EngineHost(options => options with { SysctlDirectory = _sysctlDirectory });

    [Fact]
    public void The_diff_covers_the_profile_and_says_which_keys_are_machine_wide()
    {
        var before = MachineValues();

        var report = _env.Engine.Tune(apply: false, write: false);

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

        var first = _env.Engine.Tune(apply: true, write: false);

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

        var second = _env.Engine.Tune(apply: true, write: false);
        Assert.All(second.Settings.Where(s => s.Scope == SysctlScope.Namespace), s => Assert.Equal(TuneStatus.Ok, s.Status));
    }

    [Fact]
    public void Write_replaces_the_profile_file_whole_with_mode_0644()
    {
        var file = Path.Combine(_sysctlDirectory, TuningFile.Name);
        File.WriteAllText(file, "net.core.somaxconn = 1\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);

        var report = _env.Engine.Tune(apply: false, write: true);
        var first = File.ReadAllText(file);
        _env.Engine.Tune(apply: false, write: true);

        Assert.Equal(file, report.File);
        Assert.Equal(first, File.ReadAllText(file));
        foreach (var target in TuningProfile.Targets)
        {
            Assert.Single(first.Split('\n'), line => line.TrimStart('-').StartsWith(target.Key + " = ", StringComparison.Ordinal));
        }

        Assert.DoesNotContain("somaxconn = 1\n", first, StringComparison.Ordinal);
        Assert.Equal(SysctlFileMode, File.GetUnixFileMode(file));
        Assert.Equal([TuningFile.Name], Directory.GetFileSystemEntries(_sysctlDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_never_follows_a_symlink_planted_at_the_target_or_at_a_temporary_name()
    {
        // The victims: files root may write that an attacker wants overwritten through Fireline.
        var victims = Directory.CreateTempSubdirectory("fireline-victim-").FullName;
        try
        {
            var atTarget = Path.Combine(victims, "target");
            var atTemporary = Path.Combine(victims, "temporary");
            File.WriteAllText(atTarget, "untouched\n");
            File.WriteAllText(atTemporary, "untouched\n");
            var file = Path.Combine(_sysctlDirectory, TuningFile.Name);
            File.CreateSymbolicLink(file, atTarget);
            // The name the temporary file used to have (".<name>.<pid>.tmp"), and a few guesses around it.
            var planted = new[] { Environment.ProcessId, Environment.ProcessId + 1, 1 }
                .Select(pid => Path.Combine(_sysctlDirectory, $".{TuningFile.Name}.{pid}.tmp")).ToList();
            planted.ForEach(name => File.CreateSymbolicLink(name, atTemporary));

            _env.Engine.Tune(apply: false, write: true);

            Assert.Equal("untouched\n", File.ReadAllText(atTarget));
            Assert.Equal("untouched\n", File.ReadAllText(atTemporary));
            Assert.Null(new FileInfo(file).LinkTarget); // the symlink itself was replaced by the profile
            Assert.Contains("net.core.somaxconn", File.ReadAllText(file), StringComparison.Ordinal);
            // Nothing else in the directory: no temporary file left behind.
            Assert.Equal(planted.Select(Path.GetFileName).Append(TuningFile.Name).Order(StringComparer.Ordinal),
                Directory.GetFileSystemEntries(_sysctlDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(victims, recursive: true);
        }
    }

    [Fact]
    public void A_write_that_fails_names_the_file_and_leaves_nothing_behind()
    {
        Directory.Delete(_sysctlDirectory);

        var error = Assert.Throws<Fireline.Errors.FirelineException>(() => _env.Engine.Tune(apply: false, write: true));

        Assert.Equal("kernel-error", error.Code);
        Assert.Contains(Path.Combine(_sysctlDirectory, TuningFile.Name), error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_sysctlDirectory));
    }

    [Fact]
    public void The_cli_writes_only_the_fixed_file_whatever_the_umask_and_takes_no_path()
    {
        _env.Engine.Dispose(); // the CLI takes the state directory's lock
        var elsewhere = Path.Combine(_sysctlDirectory, "elsewhere.conf");

        var named = Cli.Run([.. _env.CliScope, "host", "tune", "--write", elsewhere]);
        Assert.Equal(2, named.ExitCode);
        Assert.False(File.Exists(elsewhere));

        // /etc/sysctl.d of a private mount namespace (a tmpfs there), never the machine's.
        var written = PrivateSysctlDirectory.Run("umask 000", [Cli.Path, .. _env.CliScope, "-o", "json", "host", "tune", "--write"]);
        Assert.True(written.ExitCode == 0, written.StandardError);
        Assert.Equal(Path.Combine(TuningFile.SystemDirectory, TuningFile.Name), written.Json.GetProperty("file").GetString());
        Assert.Equal("644", written.Mode);
        Assert.Contains("net.ipv4.neigh.default.gc_thresh3 = ", written.Content, StringComparison.Ordinal);
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

    public void Dispose()
    {
        _env.Dispose();
        if (Directory.Exists(_sysctlDirectory))
        {
            Directory.Delete(_sysctlDirectory, recursive: true);
        }
    }
}
