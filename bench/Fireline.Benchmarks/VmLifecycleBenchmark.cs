using System.Globalization;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.Benchmarks;

/// <summary>
/// <c>CreateVm</c> and <c>DeleteVm</c> latency through the in-process engine, in a private test host with its state
/// in a temporary directory. Not a BenchmarkDotNet job: the figures that matter are tail percentiles of single
/// operations on a host of a given size, and a thousand VMs are made once per size, not once per iteration.
/// <list type="bullet">
/// <item><c>--sizes 10,1000 --samples 200</c> (default): for each size, a host with that many VMs, then
/// <c>samples</c> rounds of one create and one delete on each host in turn, each timed (plus <c>--warmup</c>
/// untimed rounds first): the hosts share whatever load the machine has.
/// Between the fill and the samples the host settles for <c>--settle</c> seconds (15): each new host veth starts
/// IPv6 duplicate address detection and router solicitations that run for ~12 s and take the rtnl lock, a
/// burst a host that grew over time would not have.</item>
/// <item><c>--batch N</c>: from an empty host, N creates one after another, then the N deletes: the pattern
/// bench/compare.sh times the peers with.</item>
/// </list>
/// <c>--host-ipv6 off</c> disables IPv6 on the test host's new links first (the host veths then get no link-local
/// address, DAD or router solicitation): an experiment on what a large host costs, not what Fireline does.
/// Prints a table, and one tab-separated line per figure starting with <c>lifecycle</c> for scripts.
/// Ctrl-C or SIGTERM stop the run and still remove the test host.
/// </summary>
public static class VmLifecycleBenchmark
{
    private const int OperationWidth = 9;

    public static int Run(string[] args)
    {
        var sizes = Measure.Sizes(args, "10,1000");
        var samples = Measure.Option(args, "--samples", 200);
        var warmup = Measure.Option(args, "--warmup", 20);
        var batch = Measure.Option(args, "--batch", "");
        var settle = TimeSpan.FromSeconds(Measure.Option(args, "--settle", 15.0));
        var hostIpv6 = Measure.Option(args, "--host-ipv6", "on") != "off";

        using var stop = new StopSignal();
        try
        {
            Measure.Header(OperationWidth);
            if (batch.Length > 0)
            {
                Batch(int.Parse(batch, CultureInfo.InvariantCulture), warmup, hostIpv6, stop.Token);
            }
            else
            {
                Cycles(sizes, samples, warmup, settle, hostIpv6, stop.Token);
            }

            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("lifecycle: stopped; the test host was removed");
            return 130;
        }
    }

    /// <summary>
    /// One test host per size, each holding that many VMs; each round creates one more VM on every host in turn and
    /// deletes it again, so the sizes are compared under the same load on a shared machine.
    /// </summary>
    private static void Cycles(int[] sizes, int samples, int warmup, TimeSpan settle, bool hostIpv6, CancellationToken stop)
    {
        var hosts = new List<(int Size, EngineHost Env, List<string> Fill)>();
        try
        {
            foreach (var size in sizes)
            {
                var env = EngineHosts.Open(hostIpv6);
                hosts.Add((size, env, [.. Enumerable.Range(0, size).Select(i => env.Host.VmId($"f{i}"))]));
                EngineHosts.Fill(env, hosts[^1].Fill.Select(id => new VmCreateRequest { VmId = id }), stop);
            }

            stop.WaitHandle.WaitOne(settle);
            var creates = sizes.Select(_ => new List<double>(samples)).ToArray();
            var deletes = sizes.Select(_ => new List<double>(samples)).ToArray();
            for (var i = -warmup; i < samples; i++)
            {
                for (var h = 0; h < hosts.Count; h++)
                {
                    stop.ThrowIfCancellationRequested();
                    var engine = hosts[h].Env.Engine;
                    var id = hosts[h].Env.Host.VmId($"s{i + warmup}");
                    var created = Measure.Time(() => engine.CreateVm(new VmCreateRequest { VmId = id }));
                    var deleted = Measure.Time(() => engine.DeleteVm(id));
                    if (i >= 0)
                    {
                        creates[h].Add(created);
                        deletes[h].Add(deleted);
                    }
                }
            }

            for (var h = 0; h < hosts.Count; h++)
            {
                Report(sizes[h].ToString(CultureInfo.InvariantCulture), "create", creates[h]);
                Report(sizes[h].ToString(CultureInfo.InvariantCulture), "delete", deletes[h]);
            }
        }
        finally
        {
            foreach (var (_, env, fill) in hosts)
            {
                EngineHosts.Empty(env, fill);
                env.Dispose();
            }
        }
    }

    /// <summary>N creates on a growing host, then N deletes on a shrinking one, after untimed warm-up cycles.</summary>
    private static void Batch(int count, int warmup, bool hostIpv6, CancellationToken stop)
    {
        using var env = EngineHosts.Open(hostIpv6);
        var engine = env.Engine;
        for (var i = 0; i < warmup; i++)
        {
            var id = env.Host.VmId($"w{i}");
            engine.CreateVm(new VmCreateRequest { VmId = id });
            engine.DeleteVm(id);
        }

        var ids = Enumerable.Range(0, count).Select(i => env.Host.VmId($"b{i}")).ToList();
        var creates = new List<double>(count);
        var deletes = new List<double>(count);
        try
        {
            foreach (var id in ids)
            {
                stop.ThrowIfCancellationRequested();
                creates.Add(Measure.Time(() => engine.CreateVm(new VmCreateRequest { VmId = id })));
            }

            foreach (var id in ids)
            {
                stop.ThrowIfCancellationRequested();
                deletes.Add(Measure.Time(() => engine.DeleteVm(id)));
            }
        }
        finally
        {
            foreach (var id in ids.Skip(deletes.Count))
            {
                engine.DeleteVm(id);
            }
        }

        Report($"0-{count}", "create", creates);
        Report($"{count}-0", "delete", deletes);
    }

    private static void Report(string size, string operation, List<double> milliseconds)
        => Measure.Report("lifecycle", size, operation, milliseconds, OperationWidth);
}
