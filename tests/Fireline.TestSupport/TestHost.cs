using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Fireline.Linux.Namespaces;

namespace Fireline.TestSupport;

/// <summary>
/// A private "test host": a network namespace that plays the machine Fireline runs on, with an uplink veth
/// to an "outside" namespace that plays the internet. Built with iproute2 (an independent tool), named with
/// a per-run prefix (<c>flt&lt;pid&gt;-&lt;n&gt;</c>) so parallel runs never collide, and removed in
/// <see cref="Dispose"/> together with every VM namespace that carries the prefix, whatever the test did.
/// </summary>
public sealed partial class TestHost : IDisposable
{
    public const string UplinkName = "uplink0";
    private static int _counter;
    private bool _disposed;

    static TestHost() => SweepDeadRuns();

    public TestHost()
    {
        Prefix = string.Create(CultureInfo.InvariantCulture, $"flt{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}");
        HostNamespaceName = Prefix + "-host";
        OutsideNamespaceName = Prefix + "-out";
        try
        {
            Ip.Run("netns", "add", HostNamespaceName);
            Ip.Run("netns", "add", OutsideNamespaceName);
            Ip.Run("-n", HostNamespaceName, "link", "add", UplinkName, "type", "veth", "peer", "name", UplinkName, "netns", OutsideNamespaceName);
            Ip.Run("-n", HostNamespaceName, "addr", "add", $"{HostUplinkAddress}/24", "dev", UplinkName);
            Ip.Run("-n", OutsideNamespaceName, "addr", "add", $"{OutsideAddress}/24", "dev", UplinkName);
            foreach (var ns in new[] { HostNamespaceName, OutsideNamespaceName })
            {
                Ip.Run("-n", ns, "link", "set", "lo", "up");
                Ip.Run("-n", ns, "link", "set", UplinkName, "up");
            }

            Ip.Run("-n", HostNamespaceName, "route", "add", "default", "via", OutsideAddress.ToString());
            HostNamespace = NetworkNamespace.Open(HostNamespaceName);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The per-test-host prefix every name made for this test carries.</summary>
    public string Prefix { get; }

    public string HostNamespaceName { get; }

    public string OutsideNamespaceName { get; }

    /// <summary>An open handle on the host namespace, the engine's host namespace in tests.</summary>
    public NetworkNamespace HostNamespace { get; } = null!;

    public string HostNamespacePath => "/var/run/netns/" + HostNamespaceName;

    /// <summary>The host's uplink address (what NAT rewrites sources to).</summary>
    public static IPAddress HostUplinkAddress { get; } = IPAddress.Parse("198.51.100.2");

    /// <summary>The outside namespace's address: the "internet" as seen from the test host.</summary>
    public static IPAddress OutsideAddress { get; } = IPAddress.Parse("198.51.100.1");

    /// <summary>A VM id that carries this test host's prefix, so cleanup can find its namespace.</summary>
    public string VmId(string name) => $"{Prefix}-{name}";

    /// <summary>Runs a command inside the host namespace through nsenter (it keeps the mount namespace).</summary>
    public string InHost(string program, params string[] arguments)
        => Tool.Run("nsenter", [$"--net={HostNamespacePath}", "--", program, .. arguments]);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var slotPrefixes = SlotNamespacePrefixes();
        HostNamespace?.Dispose();
        foreach (var ns in NetworkNamespace.List())
        {
            if (ns.StartsWith(Prefix + "-", StringComparison.Ordinal) || ns.StartsWith($"vm-{Prefix}-", StringComparison.Ordinal) ||
                slotPrefixes.Any(p => ns.StartsWith(p, StringComparison.Ordinal)))
            {
                _ = Tool.TryRun("ip", "netns", "del", ns);
            }
        }
    }

    /// <summary>
    /// The names warm-pool slots of the Fireline instances that ran in this host have (<c>fls-ID-</c>, ID from the
    /// instance mark on their links): slots are named by instance, not by the test's VM ids.
    /// </summary>
    private List<string> SlotNamespacePrefixes()
    {
        try
        {
            return [.. Ip.Links(HostNamespaceName)
                .Select(l => l.TryGetProperty("ifalias", out var alias) ? alias.GetString() : null)
                .OfType<string>().Where(a => a.StartsWith("fireline:", StringComparison.Ordinal))
                .Select(a => a["fireline:".Length..].Split(':')[0]).Where(id => id.Length >= 12)
                .Select(id => $"fls-{id[..12]}-").Distinct()];
        }
        catch (InvalidOperationException)
        {
            return []; // the host namespace is gone already
        }
    }

    /// <summary>Removes what earlier test processes that died (killed, crashed) left: their pid is in the name.</summary>
    private static void SweepDeadRuns()
    {
        foreach (var ns in NetworkNamespace.List())
        {
            var match = RunName().Match(ns);
            if (match.Success && int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var pid) && !IsAlive(pid))
            {
                _ = Tool.TryRun("ip", "netns", "del", ns);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(?:vm-)?flt(\d+)-\d+-")]
    private static partial Regex RunName();
}
