using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Fireline.Host;
using Fireline.Linux;
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
    private const int FillParallelism = 4;

    public static int Run(string[] args)
    {
        var sizes = Option(args, "--sizes", "10,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var samples = int.Parse(Option(args, "--samples", "200"), CultureInfo.InvariantCulture);
        var warmup = int.Parse(Option(args, "--warmup", "20"), CultureInfo.InvariantCulture);
        var batch = Option(args, "--batch", "");
        var settle = TimeSpan.FromSeconds(double.Parse(Option(args, "--settle", "15"), CultureInfo.InvariantCulture));
        var hostIpv6 = Option(args, "--host-ipv6", "on") != "off";

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // let the finally blocks remove the test host
            stop.Cancel();
        };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        try
        {
            Console.WriteLine($"{"vms on host",12} {"operation",-9} {"n",5} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"mean ms",8}");
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
                var env = Open(hostIpv6);
                hosts.Add((size, env, [.. Enumerable.Range(0, size).Select(i => env.Host.VmId($"f{i}"))]));
                Parallel.ForEach(hosts[^1].Fill, new ParallelOptions { MaxDegreeOfParallelism = FillParallelism, CancellationToken = stop },
                    id => env.Engine.CreateVm(new VmCreateRequest { VmId = id }));
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
                    var created = Time(() => engine.CreateVm(new VmCreateRequest { VmId = id }));
                    var deleted = Time(() => engine.DeleteVm(id));
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
            // Through the engine, so the kernel tears the namespaces down as in production; the test host's own
            // cleanup (one `ip netns del` each) is the fallback for anything left.
            foreach (var (_, env, fill) in hosts)
            {
                Parallel.ForEach(fill, new ParallelOptions { MaxDegreeOfParallelism = FillParallelism }, id => env.Engine.DeleteVm(id));
                env.Dispose();
            }
        }
    }

    /// <summary>N creates on a growing host, then N deletes on a shrinking one, after untimed warm-up cycles.</summary>
    private static void Batch(int count, int warmup, bool hostIpv6, CancellationToken stop)
    {
        using var env = Open(hostIpv6);
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
                creates.Add(Time(() => engine.CreateVm(new VmCreateRequest { VmId = id })));
            }

            foreach (var id in ids)
            {
                stop.ThrowIfCancellationRequested();
                deletes.Add(Time(() => engine.DeleteVm(id)));
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

    /// <summary>A private test host with the engine on it, host initialized.</summary>
    private static EngineHost Open(bool hostIpv6)
    {
        var env = new EngineHost();
        try
        {
            if (!hostIpv6)
            {
                env.Host.HostNamespace.Run(static () => Sysctl.Write("net.ipv6.conf.default.disable_ipv6", "1"));
            }

            env.Engine.InitHost(new HostInitRequest());
            return env;
        }
        catch
        {
            env.Dispose();
            throw;
        }
    }

    private static double Time(Action operation)
    {
        var start = Stopwatch.GetTimestamp();
        operation();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static void Report(string size, string operation, List<double> milliseconds)
    {
        milliseconds.Sort();
        double At(double p) => milliseconds[Math.Max(0, (int)Math.Ceiling(p * milliseconds.Count) - 1)]; // nearest rank
        var (p50, p90, p99, mean) = (At(0.50), At(0.90), At(0.99), milliseconds.Average());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{size,12} {operation,-9} {milliseconds.Count,5} {p50,8:F2} {p90,8:F2} {p99,8:F2} {mean,8:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"lifecycle\t{size}\t{operation}\t{milliseconds.Count}\t{p50:F3}\t{p90:F3}\t{p99:F3}\t{mean:F3}"));
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
