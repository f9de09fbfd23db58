using System.Globalization;
using System.Text;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// Issue 10's network scale: for each size, a fresh test host gets that many networks in one <c>network apply</c>
/// (each a /24 with the design document's two tenants' policies in turn); then one network's policy changes, then
/// one network is added, each timed. Reported with the size of the ruleset the kernel holds (<c>nft list ruleset</c>,
/// bytes and rules), which grows linearly: no network's chains mention another network.
/// Usage: <c>networks [--sizes 10,100,1000,4096] [--changes 5]</c>.
/// </summary>
public static class NetworkScaleBenchmark
{
    public static int Run(string[] args)
    {
        var sizes = Measure.Sizes(args, "10,100,1000,4096");
        var changes = Measure.Option(args, "--changes", 5);
        Console.WriteLine("networks | apply all (ms) | ruleset (KiB) | rules | bytes/network | one policy change (ms, median) | one network added (ms, median)");
        Console.WriteLine("---:|---:|---:|---:|---:|---:|---:");
        foreach (var size in sizes)
        {
            using var env = EngineHosts.Open();
            var apply = Measure.Time(() => env.Engine.ApplyNetworks(Document(size, 0), dryRun: false, prune: false));
            var ruleset = env.Host.InHost("nft", "list", "ruleset");
            var rules = ruleset.Split('\n').Count(l => l.StartsWith("\t\t", StringComparison.Ordinal) && !l.TrimStart().StartsWith("type ", StringComparison.Ordinal) &&
                !l.TrimStart().StartsWith("elements", StringComparison.Ordinal) && !l.TrimStart().StartsWith("flags", StringComparison.Ordinal));
            var changed = Enumerable.Range(1, changes).Select(round => Measure.Time(() => env.Engine.ApplyNetworks(Document(1, round), dryRun: false, prune: false))).Order().ToList();
            var added = Enumerable.Range(0, changes).Select(round => Measure.Time(() => env.Engine.ApplyNetworks(Single(size + round), dryRun: false, prune: false))).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size} | {apply:F0} | {Encoding.UTF8.GetByteCount(ruleset) / 1024} | {rules} | {Encoding.UTF8.GetByteCount(ruleset) / size} | {changed[changed.Count / 2]:F1} | {added[added.Count / 2]:F1}"));
        }

        return 0;
    }

    /// <summary>Networks n0 ... n(count-1); <paramref name="port"/> shifts the first network's web port, so a new round changes its policy.</summary>
    private static string Document(int count, int port)
    {
        var text = new StringBuilder("networks:\n");
        for (var n = 0; n < count; n++)
        {
            text.Append(Network(n, n == 0 ? 8000 + port : 80));
        }

        return text.ToString();
    }

    private static string Single(int n) => "networks:\n" + Network(n, 80);

    private static string Network(int n, int port) => string.Create(CultureInfo.InvariantCulture, $"""
          - name: n{n}
            subnet: 10.{n / 256}.{n % 256}.0/24
            defaultIngress: {(n % 2 == 0 ? "deny" : "allow")}
            policies:
              - {"{"}name: web, direction: ingress, protocol: tcp, port: {port}, action: allow{"}"}
              - {"{"}name: office, direction: ingress, protocol: tcp, port: 22, source: 203.0.113.0/24, action: allow{"}"}
              - {"{"}name: dns, direction: egress, protocol: udp, port: 53, destination: 9.9.9.9/32, action: allow{"}"}

        """);
}
