using System.Globalization;
using Fireline.Vms;

namespace Fireline.Benchmarks;

/// <summary>
/// Issue 5's firewall benchmark: what programming one VM's firewall costs with 10 VMs on the host and with 4,000,
/// Fireline against the design document's iptables approach, and whether 4,000 VMs' firewall state slows a VM's
/// traffic. Per size a <see cref="FirewallHost"/>: an engine host filled through the engine over
/// <c>--networks</c> (5) networks of /22 with the example tenants' policies, and the peer's scratch namespace with
/// as many VMs' iptables rules. After <c>--settle</c> seconds (15, see <see cref="VmLifecycleBenchmark"/>), rounds
/// that visit every size in turn (<c>--warmup</c> untimed, then <c>--samples</c> timed), one phase after another:
/// <list type="bullet">
/// <item><c>fireline add</c>/<c>remove</c>: <c>Firewall.RemoveVm</c> then <c>AddVm</c> of the probe VM's entry.</item>
/// <item><c>iptables vm</c>: one VM's policy as the document applies it (6 processes), then taken out untimed;
/// <c>iptables rule</c>: one more <c>iptables -I FORWARD</c>, then deleted untimed.</item>
/// <item><c>engine create</c>/<c>delete</c>: a whole VM through the engine, for context.</item>
/// <item><c>fireline rule</c>: <c>network apply</c> of the networks with one more policy rule in fw0, then without
/// it again (<c>--apply-samples</c>, 20): Fireline's way to change a rule.</item>
/// </list>
/// Then <see cref="FirewallThroughput"/> on the largest and the smallest host (<c>--rounds</c> 5 of
/// <c>--seconds</c> 5 each; 0 rounds skips it). Prints a table, a side-by-side summary of the p50s, and
/// tab-separated lines starting with <c>firewall</c> for scripts. Ctrl-C or SIGTERM stop the run and still remove
/// every VM and namespace.
/// </summary>
public static class FirewallBenchmark
{
    private const string Tag = "firewall";
    private const int OperationWidth = 15;

    public static int Run(string[] args)
    {
        var sizes = Measure.Sizes(args, "10,4000");
        var samples = Measure.Option(args, "--samples", 200);
        var warmup = Measure.Option(args, "--warmup", 20);
        var applySamples = Measure.Option(args, "--apply-samples", 20);
        var networks = Measure.Option(args, "--networks", 5);
        var settle = TimeSpan.FromSeconds(Measure.Option(args, "--settle", 15.0));
        var rounds = Measure.Option(args, "--rounds", 5);
        var seconds = Measure.Option(args, "--seconds", 5);

        using var stop = new StopSignal();
        var hosts = new List<FirewallHost>();
        try
        {
            foreach (var size in sizes)
            {
                stop.Token.ThrowIfCancellationRequested();
                hosts.Add(FirewallHost.Open(size, networks, stop.Token));
            }

            stop.Token.WaitHandle.WaitOne(settle);
            stop.Token.ThrowIfCancellationRequested();
            var p50 = new Dictionary<(int Size, string Operation), double>();
            Measure.Header(OperationWidth);
            Rounds(hosts, warmup, samples, ["fireline add", "fireline remove"], p50, stop.Token, (host, _) =>
            {
                var removed = Measure.Time(() => host.Firewall.RemoveVm(host.Probe));
                return [Measure.Time(() => host.Firewall.AddVm(host.Probe)), removed];
            });
            Rounds(hosts, warmup, samples, ["iptables vm", "iptables rule"], p50, stop.Token, (host, _) =>
            {
                var vm = host.Peer.Loaded; // the next VM, even: the policy with three rules
                var applied = host.Peer.ApplyVm(vm);
                host.Peer.RemoveVm(vm);
                var inserted = host.Peer.InsertRule(vm);
                host.Peer.DeleteFirstRule();
                return [applied, inserted];
            });
            Rounds(hosts, warmup, samples, ["engine create", "engine delete"], p50, stop.Token, (host, i) =>
            {
                var id = host.Env.Host.VmId(string.Create(CultureInfo.InvariantCulture, $"s{i}"));
                var created = Measure.Time(() => host.Env.Engine.CreateVm(new VmCreateRequest { VmId = id, Network = FirewallHost.Network(0) }));
                return [created, Measure.Time(() => host.Env.Engine.DeleteVm(id))];
            });
            Rounds(hosts, 2, applySamples, ["fireline rule"], p50, stop.Token, (host, i) =>
            {
                var yaml = FirewallHost.NetworksYaml(networks, extraRule: i % 2 == 0);
                return [Measure.Time(() => host.Env.Engine.ApplyNetworks(yaml, dryRun: false, prune: false))];
            });
            Summary(sizes, p50);

            if (rounds > 0)
            {
                FirewallThroughput.Run(hosts.MaxBy(h => h.Size)!, hosts.Count > 1 ? hosts.MinBy(h => h.Size) : null, rounds, seconds, stop.Token);
            }

            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("firewall: stopped; removing the test hosts");
            return 130;
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }
    }

    /// <summary>
    /// <paramref name="warmup"/> untimed rounds, then <paramref name="samples"/> timed ones; each round runs
    /// <paramref name="round"/> on every host in turn, so the sizes share the machine's load. A round returns one time
    /// per operation; each is reported per size.
    /// </summary>
    private static void Rounds(List<FirewallHost> hosts, int warmup, int samples, string[] operations,
        Dictionary<(int, string), double> p50, CancellationToken stop, Func<FirewallHost, int, double[]> round)
    {
        var times = hosts.Select(_ => operations.Select(_ => new List<double>(samples)).ToArray()).ToArray();
        for (var i = -warmup; i < samples; i++)
        {
            for (var h = 0; h < hosts.Count; h++)
            {
                stop.ThrowIfCancellationRequested();
                var measured = round(hosts[h], i + warmup);
                for (var o = 0; i >= 0 && o < operations.Length; o++)
                {
                    times[h][o].Add(measured[o]);
                }
            }
        }

        for (var o = 0; o < operations.Length; o++)
        {
            for (var h = 0; h < hosts.Count; h++)
            {
                var size = hosts[h].Size;
                p50[(size, operations[o])] = Measure.Report(Tag, size.ToString(CultureInfo.InvariantCulture), operations[o], times[h][o], OperationWidth);
            }
        }
    }

    /// <summary>The p50s side by side: one row per operation, one column per size.</summary>
    private static void Summary(int[] sizes, Dictionary<(int Size, string Operation), double> p50)
    {
        Console.WriteLine();
        Console.WriteLine($"{"p50 ms, VMs on host:".PadRight(OperationWidth + 6)}{string.Concat(sizes.Select(s => s.ToString(CultureInfo.InvariantCulture).PadLeft(10)))}");
        foreach (var operation in p50.Keys.Select(k => k.Operation).Distinct())
        {
            Console.WriteLine(operation.PadRight(OperationWidth + 6) +
                string.Concat(sizes.Select(s => p50[(s, operation)].ToString("F2", CultureInfo.InvariantCulture).PadLeft(10))));
        }

        Console.WriteLine();
    }
}
