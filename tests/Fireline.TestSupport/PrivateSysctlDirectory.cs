using System.Text.Json;

namespace Fireline.TestSupport;

/// <summary>
/// Runs a command whose /etc/sysctl.d is an empty tmpfs of a private mount namespace (<c>unshare -m</c>), so a
/// command that writes the machine's fixed tuning file can be tested without touching the machine's: the mount
/// and what is written there vanish with the process.
/// </summary>
public static class PrivateSysctlDirectory
{
    private const string File = "/etc/sysctl.d/90-fireline.conf";
    private const string ModeMarker = "--- mode";
    private const string ContentMarker = "--- content";

    /// <summary>What the command printed, and the tuning file's mode (octal) and content afterwards (empty when absent).</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError, string Mode, string Content)
    {
        public JsonElement Json => JsonDocument.Parse(StandardOutput).RootElement.Clone();
    }

    /// <param name="prelude">Shell run before the command, in the same shell (e.g. <c>umask 000</c>).</param>
    public static Result Run(string prelude, IReadOnlyList<string> command)
    {
        var script = $"mount -t tmpfs -o mode=0755 fireline-test /etc/sysctl.d || exit 99; {prelude}; \"$@\"; code=$?; " +
                     $"echo '{ModeMarker}'; stat -c %a {File} 2>/dev/null; echo '{ContentMarker}'; cat {File} 2>/dev/null; exit $code";
        var result = Tool.TryRun("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, "sh", .. command], TimeSpan.FromSeconds(120));
        var output = result.StandardOutput;
        var mode = output.IndexOf(ModeMarker + "\n", StringComparison.Ordinal);
        var content = output.IndexOf(ContentMarker + "\n", StringComparison.Ordinal);
        if (mode < 0 || content < 0)
        {
            throw new InvalidOperationException($"the private /etc/sysctl.d could not be set up ({result.ExitCode}): {result.StandardError}");
        }

        return new Result(result.ExitCode, output[..mode], result.StandardError,
            output[(mode + ModeMarker.Length + 1)..content].Trim(), output[(content + ContentMarker.Length + 1)..]);
    }
}
