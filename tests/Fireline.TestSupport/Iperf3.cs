using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Fireline.TestSupport;

/// <summary>
/// Measures TCP throughput between two namespaces with iperf3 (Debian: <c>apt-get install iperf3</c>): a
/// one-shot server in one namespace, a client in the other.
/// </summary>
public static class Iperf3
{
    /// <summary>
    /// Runs a <paramref name="seconds"/>-long test from a client in <paramref name="clientNs"/> to a server
    /// listening on <paramref name="serverAddress"/> in <paramref name="serverNs"/>; returns the receiver's rate in
    /// bytes per second. The client sends, or receives with <paramref name="reverse"/> (<c>iperf3 -R</c>).
    /// </summary>
    public static double MeasureBytesPerSecond(string serverNs, string serverAddress, string clientNs, bool reverse, int seconds = 3)
    {
        var port = Random.Shared.Next(20000, 60000).ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("nsenter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { $"--net=/var/run/netns/{serverNs}", "--", "iperf3", "-s", "-1", "-B", serverAddress, "-p", port })
        {
            start.ArgumentList.Add(argument);
        }

        using var server = Process.Start(start) ?? throw new InvalidOperationException("cannot start iperf3 -s");
        try
        {
            string[] client = ["-c", serverAddress, "-p", port, "-t", seconds.ToString(CultureInfo.InvariantCulture), "-J", .. reverse ? new[] { "-R" } : []];
            for (var attempt = 0; ; attempt++)
            {
                var result = Nsenter.TryRun(clientNs, "iperf3", client);
                using (var json = JsonDocument.Parse(result.StandardOutput.Length > 0 ? result.StandardOutput : "{}"))
                {
                    // iperf3 -J reports failures in an "error" member, with exit code 0 on some versions.
                    if (result.ExitCode == 0 && !json.RootElement.TryGetProperty("error", out _))
                    {
                        return json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble() / 8;
                    }
                }

                // The server may not listen yet: the client then reports a refused connection.
                if (attempt >= 50 || !result.StandardOutput.Contains("Connection refused", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"iperf3 client failed: {result.StandardOutput} {result.StandardError}");
                }

                Thread.Sleep(100);
            }
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            server.WaitForExit();
        }
    }
}
