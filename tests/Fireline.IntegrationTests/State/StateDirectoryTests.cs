using System.Text.Json;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.State;

/// <summary>
/// The state directory is Fireline's alone: made 0700 with every file 0600 under umask 000, an existing directory
/// open to others (or another user's) refused and left as it was, looser files of an earlier version tightened,
/// and the lock file out of other users' reach, so none of them can flock it to lock Fireline out.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class StateDirectoryTests : IDisposable
{
    private const string Nobody = "65534";

    /// <summary>Runs what follows it with umask 000, the loosest a caller can have.</summary>
    private static readonly string[] Umask000 = ["sh", "-c", "umask 000; exec \"$@\"", "sh"];

    private static readonly string[] StateFiles = ["fireline.db", "fireline.db-wal", "lock", "owner"];

    private readonly EngineHost _env = new();

    public StateDirectoryTests()
    {
        // Each test opens the state its own way, from an empty directory.
        _env.Engine.Dispose();
        Array.ForEach(Directory.GetFiles(_env.StateDirectory), File.Delete);
    }

    [Fact]
    public void The_daemon_under_umask_000_makes_the_directory_0700_and_every_file_0600()
    {
        Directory.Delete(_env.StateDirectory);
        using var daemon = new DaemonProcess(_env, launcher: Umask000);
        // A create writes the WAL and its shared memory, which exist while the daemon has the database open.
        Assert.Equal(200, daemon.Send("PUT", "/v1/host", "{}").Status);
        Assert.Equal(200, daemon.Send("PUT", $"/v1/vms/{_env.Host.VmId("perm")}").Status);

        Assert.Equal("700", Mode(_env.StateDirectory));
        Assert.Equal(StateFiles, Directory.GetFileSystemEntries(_env.StateDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(StateFiles, file => Assert.Equal($"{file} 600", $"{file} {Mode(Path.Combine(_env.StateDirectory, file))}"));
        Assert.Equal(200, daemon.Send("DELETE", $"/v1/vms/{_env.Host.VmId("perm")}").Status);
    }

    [Fact]
    public void The_cli_under_umask_000_makes_the_directory_and_its_parents_0700_and_every_file_0600()
    {
        var parent = Path.Combine(_env.StateDirectory, "made");
        var state = Path.Combine(parent, "state");

        var result = Tool.TryRun(Umask000[0], [.. Umask000[1..], Cli.Path, "--state-dir", state, "--host-netns", _env.Host.HostNamespaceName, "host", "init"],
            TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("700", Mode(parent));
        Assert.Equal("700", Mode(state));
        Assert.Contains(Path.Combine(state, "fireline.db"), Directory.GetFileSystemEntries(state));
        Assert.All(Directory.GetFileSystemEntries(state), file => Assert.Equal($"{file} 600", $"{file} {Mode(file)}"));
    }

    [Theory]
    [InlineData("755", null)]
    [InlineData("1777", null)]
    [InlineData("710", null)]
    [InlineData("701", null)]
    [InlineData("700", Nobody)]
    public void An_existing_directory_others_may_enter_or_another_user_owns_is_refused_and_left_as_it_was(string mode, string? owner)
    {
        Tool.Run("chmod", mode, _env.StateDirectory);
        if (owner is not null)
        {
            Tool.Run("chown", owner, _env.StateDirectory);
        }

        var result = Cli.Run([.. _env.CliScope, "-o", "json", "host", "status"]);

        Assert.Equal(2, result.ExitCode);
        var error = JsonDocument.Parse(result.StandardError).RootElement.GetProperty("error");
        Assert.Equal("invalid-argument", error.GetProperty("code").GetString());
        Assert.Equal("--state-dir", error.GetProperty("field").GetString());
        Assert.Contains(owner is null ? $"chmod 700 {_env.StateDirectory}" : $"belongs to uid {owner}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(mode.TrimStart('0'), Mode(_env.StateDirectory).TrimStart('0'));
        Assert.Empty(Directory.GetFileSystemEntries(_env.StateDirectory));
    }

    [Fact]
    public void Files_an_earlier_version_left_looser_are_tightened_on_open()
    {
        _env.Reopen().Dispose();
        foreach (var file in new[] { "fireline.db", "lock", "owner" })
        {
            Tool.Run("chmod", "666", Path.Combine(_env.StateDirectory, file));
        }

        _env.Reopen();

        Assert.All(Directory.GetFileSystemEntries(_env.StateDirectory), file => Assert.Equal($"{file} 600", $"{file} {Mode(file)}"));
    }

    [Fact]
    public void Another_user_can_neither_open_the_lock_file_nor_read_the_state()
    {
        // Hold the state as the daemon does; the directory is made 0755 by hand afterwards, as an operator might,
        // so only the files' own modes stand between that user and them.
        _env.Reopen();
        Tool.Run("chmod", "755", _env.StateDirectory);

        var flock = AsNobody("flock", "--exclusive", "--nonblock", Path.Combine(_env.StateDirectory, "lock"), "true");
        var read = AsNobody("cat", Path.Combine(_env.StateDirectory, "fireline.db"));

        Assert.NotEqual(0, flock.ExitCode);
        Assert.Contains("Permission denied", flock.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(0, read.ExitCode);
        Assert.Contains("Permission denied", read.StandardError, StringComparison.Ordinal);
        Tool.Run("chmod", "700", _env.StateDirectory);
        _env.Engine.Dispose();
        Assert.Equal(0, Cli.Run([.. _env.CliScope, "host", "status"]).ExitCode);
    }

    private static Tool.Result AsNobody(params string[] command)
        => Tool.TryRun("setpriv", ["--reuid", Nobody, "--regid", Nobody, "--clear-groups", .. command], TimeSpan.FromSeconds(30));

    private static string Mode(string path) => Tool.Run("stat", "-c", "%a", path).Trim();

    public void Dispose() => _env.Dispose();
}
