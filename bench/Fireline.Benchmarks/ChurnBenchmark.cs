using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.Benchmarks;

/// <summary>
/// Churn at density (issue 11): a daemon whose host holds <c>--resident</c> VMs (2,000: two networks of 1,000, a bridge
/// takes 1,023), then <c>--clients</c> clients (32), each on its own connection, looping create → delete of a VM of their
/// own for <c>--seconds</c> (60) on a network without a pool, then the same on a network with one (<c>--pool</c> 64).
/// Prints per phase: cycles per second, errors, p50/p99 of create and of delete. Self-stopping; Ctrl-C or SIGTERM stop
/// it early and still remove the test host. FIRELINE_CLI names the fireline executable. Root required.
/// </summary>
public static class ChurnBenchmark
{
    private const int OperationWidth = 20;

    public static int Run(string[] args)
    {
        var resident = Measure.Option(args, "--resident", 2000);
        var clients = Measure.Option(args, "--clients", 32);
        var seconds = Measure.Option(args, "--seconds", 60.0);
        var pool = Measure.Option(args, "--pool", 64);
        using var stop = new StopSignal();
        using var env = new EngineHost();
        env.Engine.InitHost(new HostInitRequest());
        var residents = (resident + 999) / 1000;
        var networks = string.Join("", Enumerable.Range(0, residents).Select(i => $"  - name: resident{i}\n    subnet: 10.{120 + i}.0.0/22\n")) +
            $"  - name: cold\n    subnet: 10.110.0.0/24\n  - name: warm\n    subnet: 10.111.0.0/24\n    pool: {pool}\n";
        env.Engine.ApplyNetworks("networks:\n" + networks, dryRun: false, prune: false);
        var start = Stopwatch.StartNew();
        EngineHosts.Fill(env, Enumerable.Range(0, resident).Select(i => new VmCreateRequest { VmId = env.Host.VmId($"r{i}"), Network = $"resident{i / 1000}" }), stop.Token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"churn: {resident} resident VMs made in {start.Elapsed.TotalSeconds:F1} s"));
        env.Engine.Dispose();
        using var daemon = new DaemonProcess(env);
        Eventually.True(() => daemon.Send("GET", "/v1/networks/warm").Json.GetProperty("pool").GetProperty("ready").GetInt32() == pool, "the pool is full", 300);
        stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)); // let the kernel finish what the fill started (DAD, router solicitations)

        Measure.Header(OperationWidth);
        foreach (var network in new[] { "cold", "warm" })
        {
            Phase(daemon, env, network, clients, TimeSpan.FromSeconds(seconds), stop.Token);
        }

        return 0;
    }

    private static void Phase(DaemonProcess daemon, EngineHost env, string network, int clients, TimeSpan duration, CancellationToken stop)
    {
        var creates = new ConcurrentBag<double>();
        var deletes = new ConcurrentBag<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, clients, new ParallelOptions { MaxDegreeOfParallelism = clients }, client =>
        {
            var id = env.Host.VmId($"{network}{client}");
            while (clock.Elapsed < duration && !stop.IsCancellationRequested)
            {
                var created = Measure.Time(() => Count(daemon.Send("PUT", $"/v1/vms/{id}", $$"""{"network":"{{network}}"}"""), ref errors));
                creates.Add(created);
                deletes.Add(Measure.Time(() => Count(daemon.Send("DELETE", $"/v1/vms/{id}"), ref errors)));
            }
        });
        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"churn\t{network}\tcycles/s\t{deletes.Count / elapsed:F1}\terrors\t{errors}\tclients\t{clients}\tseconds\t{elapsed:F1}"));
        Measure.Report("churn", network, $"{network} create", [.. creates], OperationWidth);
        Measure.Report("churn", network, $"{network} delete", [.. deletes], OperationWidth);
    }

    private static void Count(DaemonProcess.Answer answer, ref int errors)
    {
        if (answer.Status is not (200 or 201))
        {
            Interlocked.Increment(ref errors);
        }
    }
}
