using System.Globalization;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.Benchmarks;

/// <summary>
/// Issue 5's firewall benchmark: what programming one VM's firewall costs with 10 VMs on the host and with 4,000,
/// Fireline against the design document's iptables approach, and whether 4,000 VMs' firewall state slows a VM's
/// traffic. Per size a <see cref="FirewallHost"/>: an engine host filled through the engine over
/// <c>--networks</c> (5) networks of /22 with the example tenants' policies, and the peer's scratch namespace with
/// as many VMs' iptables rules. After <c>--settle</c> seconds (15, see <see cref="VmLifecycleBenchmark"/>), one
/// phase after another, each in rounds that visit every size in turn (<c>--warmup</c> untimed, then
/// <c>--samples</c> timed):
/// <list type="bullet">
/// <item><c>fireline add</c>/<c>remove</c>: <c>Firewall.RemoveVm</c> then <c>AddVm</c> of the probe VM's entry.</item>
/// <item><see cref="FirewallThroughput"/> on the largest and the smallest host (<c>--rounds</c> 5 of <c>--seconds</c>
/// 5 each; 0 rounds skips it).</item>
/// <item><c>iptables vm</c>: one VM's policy as the document applies it (6 processes), then taken out untimed;
/// <c>iptables rule</c>: one more <c>iptables -I FORWARD</c>, then deleted untimed (<c>--iptables-samples</c>,
/// <c>--samples</c> by default; 0 skips the phase).</item>
/// <item><c>fireline rule</c>: <c>network apply</c> of the networks with one more policy rule in fw0, then without
/// it again (<c>--apply-samples</c>, 20): Fireline's way to change a rule.</item>
/// <item><c>engine create</c>/<c>delete</c>: a whole VM through the engine, for context; late, since each delete
/// leaves the kernel a namespace to tear down in the background.</item>
/// <item><c>pooled create</c>/<c>delete</c>: the same with fw0 keeping a warm pool of four slots (an acquire and a
/// release each).</item>
/// </list>
/// Prints the throughput runs and their table as they finish, then the latency table, the p50s side by side, and
/// tab-separated lines starting with <c>firewall</c> for scripts. Ctrl-C or SIGTERM stop the run and still remove
/// every VM and namespace.
/// </summary>
public static class FirewallBenchmark
{
    private const string Tag = "firewall";
    private const int OperationWidth = 15;

    /// <summary>fw0's pool in the last phase: a /22 holding a tenth of 10,000 VMs has room for a few more addresses.</summary>
    private const int PoolSlots = 4;

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
        var iptablesSamples = Measure.Option(args, "--iptables-samples", samples);

        return OnHosts(Tag, sizes, settle, (size, stop) => FirewallHost.Open(size, networks, stop), (hosts, stop) =>
        {
            var timed = new List<(string Operation, int Size, List<double> Milliseconds)>();
            Rounds(hosts, warmup, samples, ["fireline add", "fireline remove"], timed, stop, (host, _) =>
            {
                var removed = Measure.Time(() => host.Firewall.RemoveVm(host.Probe));
                return [Measure.Time(() => host.Firewall.AddVm(host.Probe)), removed];
            });

            // While the hosts are as quiet as after the settle: the engine's deletes below leave the kernel
            // tearing namespaces down in the background for a while.
            if (rounds > 0)
            {
                FirewallThroughput.Run(hosts.MaxBy(h => h.Size)!, hosts.Count > 1 ? hosts.MinBy(h => h.Size) : null, rounds, seconds, stop);
            }

            Rounds(hosts, iptablesSamples > 0 ? warmup : 0, iptablesSamples, iptablesSamples > 0 ? ["iptables vm", "iptables rule"] : [], timed, stop, (host, _) =>
            {
                var vm = host.Peer.Loaded + (host.Peer.Loaded % 2); // a VM not loaded, even: the policy with three rules
                var applied = host.Peer.ApplyVm(vm);
                host.Peer.RemoveVm(vm);
                var inserted = host.Peer.InsertRule(vm);
                host.Peer.DeleteFirstRule();
                return [applied, inserted];
            });
            Rounds(hosts, 2, applySamples, ["fireline rule"], timed, stop, (host, i) =>
            {
                var yaml = FirewallHost.NetworksYaml(networks, extraRule: i % 2 == 0);
                return [Measure.Time(() => host.Env.Engine.ApplyNetworks(yaml, dryRun: false, prune: false))];
            });
            Rounds(hosts, warmup, samples, ["engine create", "engine delete"], timed, stop, (host, i) =>
            {
                var id = host.Env.Host.VmId(string.Create(CultureInfo.InvariantCulture, $"s{i}"));
                var created = Measure.Time(() => host.Env.Engine.CreateVm(new VmCreateRequest { VmId = id, Network = FirewallHost.Network(0) }));
                return [created, Measure.Time(() => host.Env.Engine.DeleteVm(id))];
            });

            // The warm pool at the same sizes: fw0 keeps a few slots; each round's create takes one, its delete gives it back.
            foreach (var host in hosts)
            {
                host.Env.Engine.ApplyNetworks(FirewallHost.NetworksYaml(networks, pool: PoolSlots), dryRun: false, prune: false);
                Eventually.True(() => host.Env.Engine.GetNetwork(FirewallHost.Network(0)).Pool.Ready == PoolSlots, "the pool is full", 120);
            }

            Rounds(hosts, warmup, samples, ["pooled create", "pooled delete"], timed, stop, (host, i) =>
            {
                var id = host.Env.Host.VmId(string.Create(CultureInfo.InvariantCulture, $"p{i}"));
                var created = Measure.Time(() => host.Env.Engine.CreateVm(new VmCreateRequest { VmId = id, Network = FirewallHost.Network(0) }));
                return [created, Measure.Time(() => host.Env.Engine.DeleteVm(id))];
            });
            Report(sizes, timed);
        });
    }

    /// <summary>
    /// Opens a host per size, lets them settle, runs <paramref name="measure"/>, and removes every host whatever
    /// happens; Ctrl-C or SIGTERM stop the run (exit 130) and still remove them.
    /// </summary>
    internal static int OnHosts(string tag, int[] sizes, TimeSpan settle, Func<int, CancellationToken, FirewallHost> open,
        Action<List<FirewallHost>, CancellationToken> measure)
    {
        using var stop = new StopSignal();
        var hosts = new List<FirewallHost>();
        try
        {
            foreach (var size in sizes)
            {
                stop.Token.ThrowIfCancellationRequested();
                hosts.Add(open(size, stop.Token));
            }

            stop.Token.WaitHandle.WaitOne(settle);
            stop.Token.ThrowIfCancellationRequested();
            measure(hosts, stop.Token);
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{tag}: stopped; removing the test hosts");
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
    /// per operation; they are added to <paramref name="timed"/> per operation and size.
    /// </summary>
    internal static void Rounds(List<FirewallHost> hosts, int warmup, int samples, string[] operations,
        List<(string, int, List<double>)> timed, CancellationToken stop, Func<FirewallHost, int, double[]> round)
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
                timed.Add((operations[o], hosts[h].Size, times[h][o]));
            }
        }
    }

    /// <summary>The table, then the p50s side by side: one row per operation, one column per size.</summary>
    internal static void Report(int[] sizes, List<(string Operation, int Size, List<double> Milliseconds)> timed, string tag = Tag)
    {
        Console.WriteLine();
        Measure.Header(OperationWidth);
        var p50 = timed.ToDictionary(t => (t.Operation, t.Size),
            t => Measure.Report(tag, t.Size.ToString(CultureInfo.InvariantCulture), t.Operation, t.Milliseconds, OperationWidth));
        Console.WriteLine();
        Console.WriteLine($"{"p50 ms, VMs on host:".PadRight(OperationWidth + 6)}{string.Concat(sizes.Select(s => s.ToString(CultureInfo.InvariantCulture).PadLeft(10)))}");
        foreach (var operation in timed.Select(t => t.Operation).Distinct())
        {
            Console.WriteLine(operation.PadRight(OperationWidth + 6) +
                string.Concat(sizes.Select(s => p50[(operation, s)].ToString("F2", CultureInfo.InvariantCulture).PadLeft(10))));
        }
    }
}
