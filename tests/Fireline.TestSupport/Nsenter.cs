namespace Fireline.TestSupport;

/// <summary>
/// Runs a program inside a named network namespace through <c>nsenter --net</c>, which (unlike
/// <c>ip netns exec</c>) keeps the caller's mount namespace, so /proc/net and /var/run/netns stay as they are.
/// </summary>
public static class Nsenter
{
    public static string Run(string ns, string program, params string[] arguments)
        => Tool.Run("nsenter", [$"--net=/var/run/netns/{ns}", "--", program, .. arguments]);

    public static Tool.Result TryRun(string ns, string program, params string[] arguments)
        => Tool.TryRun("nsenter", [$"--net=/var/run/netns/{ns}", "--", program, .. arguments]);

    /// <summary>
    /// True when one ping gets an answer within <paramref name="waitSeconds"/>, false when none came (exit 1).
    /// Anything else (no ping installed: Debian's iputils-ping; bad arguments) fails the test, so that a
    /// missing tool never passes for an unreachable address.
    /// </summary>
    public static bool Ping(string ns, string address, int waitSeconds = 1)
    {
        var result = TryRun(ns, "ping", "-c", "1", "-W", waitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), address);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new InvalidOperationException($"ping {address} in {ns} exited {result.ExitCode}: {result.StandardError.Trim()}"),
        };
    }
}
