using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.Benchmarks;

/// <summary>
/// The warm pool against the cold path, side by side in one run (issue 11): create and delete of one VM at a time,
/// in-process (the engine) and through the daemon (one kept-alive connection on its socket), on a network with a pool
/// and one without. The pooled network's subnet is a /26 whose 61 addresses are all the pool's: a create always
/// finds a ready slot, and a delete always gives its slot back (nothing could refill it first), so every pooled
/// sample is an acquire or a release, never the cold path by chance. Rounds visit the four (host, network) pairs in
/// turn, each for a block of <c>--block</c> create/delete cycles, so all share the machine's load; a pooled operation
/// mostly follows one of its own kind, as in a churn, rather than the kernel's teardown of a cold one (block 1: every
/// operation follows another kind's). Before each block both pools are full again, so that one engine's scrubs never
/// run beside the other's timed operations. Each cycle through the daemon also times <c>GET /healthz</c>: what any call
/// costs this client and the daemon. Each round ends with a block of the CNI bridge plugin's ADD and DEL (the peer, as
/// <c>bench/cni.sh</c> runs it: a process per verb). <c>--samples 200 --warmup 20 --block 20</c>. FIRELINE_CLI names the fireline
/// executable for the daemon. Root required.
/// </summary>
public static class PoolBenchmark
{
    private const int OperationWidth = 24;
    private const int PoolSize = 61;

    private const string Networks = """
        networks:
          - name: cold
            subnet: 10.91.0.0/24
          - name: warm
            subnet: 10.92.0.0/26
            pool: 61
        """;

    public static int Run(string[] args)
    {
        var samples = Measure.Option(args, "--samples", 200);
        var warmup = Measure.Option(args, "--warmup", 20);
        using var inProcess = Prepare();
        using var served = Prepare();
        served.Engine.Dispose();
        using var daemon = new DaemonProcess(served);
        using var bridge = CniBridgePeer.TryOpen();
        if (bridge is null)
        {
            Console.Error.WriteLine("pool: no CNI bridge plugin in /usr/lib/cni (scripts/setup.sh installs it): its rows are left out");
        }

        // Between blocks both pools are full again: one engine's scrubs never run beside the other's timed operations.
        void Settle()
        {
            Eventually.True(() => inProcess.Engine.GetNetwork("warm").Pool.Ready == PoolSize, "the in-process pool is full", 120);
            Eventually.True(() => daemon.Send("GET", "/v1/networks/warm").Json.GetProperty("pool").GetProperty("ready").GetInt32() == PoolSize,
                "the daemon's pool is full", 120);
        }

        var timings = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Record(string operation, double milliseconds)
        {
            if (!timings.TryGetValue(operation, out var list))
            {
                timings[operation] = list = [];
            }

            list.Add(milliseconds);
        }

        var block = Math.Max(1, Measure.Option(args, "--block", 20));
        for (var i = -warmup; i < samples; i += block)
        {
            foreach (var network in new[] { "cold", "warm" })
            {
                Settle();
                for (var j = i; j < i + block && j < samples; j++)
                {
                    var id = inProcess.Host.VmId($"{network}{j + warmup}");
                    var create = Measure.Time(() => inProcess.Engine.CreateVm(new VmCreateRequest { VmId = id, Network = network }));
                    var delete = Measure.Time(() => inProcess.Engine.DeleteVm(id));
                    if (j >= 0)
                    {
                        Record($"in-process {network} create", create);
                        Record($"in-process {network} delete", delete);
                    }
                }

                Settle();
                for (var j = i; j < i + block && j < samples; j++)
                {
                    var apiId = served.Host.VmId($"{network}{j + warmup}");
                    // What the daemon and this client cost for a request that does nothing: what any call pays.
                    var floor = Measure.Time(() => Ok(daemon.Send("GET", "/healthz")));
                    var apiCreate = Measure.Time(() => Ok(daemon.Send("PUT", $"/v1/vms/{apiId}", $$"""{"network":"{{network}}"}""")));
                    var apiDelete = Measure.Time(() => Ok(daemon.Send("DELETE", $"/v1/vms/{apiId}")));
                    if (j >= 0)
                    {
                        Record("api GET /healthz", floor);
                        Record($"api {network} create", apiCreate);
                        Record($"api {network} delete", apiDelete);
                    }
                }
            }

            for (var j = i; bridge is not null && j < i + block && j < samples; j++)
            {
                var ns = bridge.Prepare($"b{j + warmup}");
                var add = Measure.Time(() => bridge.Add(ns));
                var del = Measure.Time(() => bridge.Delete(ns));
                CniBridgePeer.Remove(ns);
                if (j >= 0)
                {
                    Record("cni bridge plugin ADD", add);
                    Record("cni bridge plugin DEL", del);
                }
            }
        }

        Measure.Header(OperationWidth);
        foreach (var (operation, milliseconds) in timings.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            Measure.Report("pool", "1", operation, milliseconds, OperationWidth);
        }

        return 0;
    }

    private static EngineHost Prepare()
    {
        var env = new EngineHost();
        try
        {
            env.Engine.InitHost(new HostInitRequest());
            env.Engine.ApplyNetworks(Networks, dryRun: false, prune: false);
            return env;
        }
        catch
        {
            env.Dispose();
            throw;
        }
    }

    private static void Ok(DaemonProcess.Answer answer)
    {
        if (answer.Status is not (200 or 201))
        {
            throw new InvalidOperationException($"the daemon answered {answer.Status}: {answer.Body}");
        }
    }
}
