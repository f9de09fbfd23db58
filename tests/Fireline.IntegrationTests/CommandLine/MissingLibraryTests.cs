using System.Text.Json;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.CommandLine;

/// <summary>
/// A machine without a native library Fireline loads: the library file is hidden (an empty file bind-mounted over
/// it in a private mount namespace, so the loader finds it unusable, as if absent), and every command, the daemon
/// included, fails with <c>missing-library</c> naming the library and how to get it, exit 1, no stack trace.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class MissingLibraryTests : IDisposable
{
    private readonly EngineHost _env = new();

    public MissingLibraryTests() => _env.Engine.Dispose();

    public static TheoryData<string, string> Libraries() => new()
    {
        // SQLite's library, shipped beside the binary: in the runtime's folder for a framework build, beside a NativeAOT one.
        { SqliteLibrary(), "libe_sqlite3.so belongs beside the fireline binary" },
    };

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Every_command_and_the_daemon_name_the_missing_library_and_exit_1(string library, string remedy)
    {
        var socket = Path.Combine(_env.StateDirectory, "never.sock");
        foreach (var command in new[] { new[] { "host", "status" }, ["vm", "list"], ["--socket", socket, "serve"] })
        {
            var result = Without(library, [.. _env.CliScope, "-o", "json", .. command]);

            var what = $"{string.Join(' ', command)}: {result.StandardError}";
            Assert.True(result.ExitCode == 1, what);
            var error = JsonDocument.Parse(result.StandardError).RootElement.GetProperty("error");
            Assert.Equal("missing-library", error.GetProperty("code").GetString());
            Assert.Contains(remedy, error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(socket));
    }

    /// <summary>Runs the CLI with <paramref name="library"/> replaced by an empty file, in a mount namespace of its own.</summary>
    private static Tool.Result Without(string library, IReadOnlyList<string> arguments)
    {
        Assert.True(File.Exists(library), $"{library} is what this test hides; it must exist here");
        return Tool.TryRun("unshare", ["--mount", "--propagation", "private", "--", "sh", "-c", $"mount --bind /dev/null {library} && exec \"$@\"", "sh",
            Cli.Path, .. arguments], TimeSpan.FromSeconds(60));
    }

    private static string SqliteLibrary()
    {
        var directory = Path.GetDirectoryName(Cli.Path)!;
        var framework = Path.Combine(directory, "runtimes", "linux-x64", "native", "libe_sqlite3.so");
        return File.Exists(framework) ? framework : Path.Combine(directory, "libe_sqlite3.so");
    }

    public void Dispose() => _env.Dispose();
}
