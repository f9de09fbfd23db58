using System.Diagnostics;
using System.Net;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// Cluster IPAM's cost on the create path (issue 13): one VM created and deleted at a time through the daemon, on a
/// single-host daemon and on a cluster node (a three-member etcd cluster on loopback in its own namespace), side by
/// side. Cluster creates are split by whether they claimed a new address block (one etcd transaction: the first
/// address of each /26) or allocated inside a held one (no etcd call); the difference is the claim's cost. Then the
/// time for a new VM to become reachable from another node (<see cref="Reachability"/>), and TCP throughput between VMs on
/// one node and on two (<see cref="ClusterThroughput"/>).
/// <c>--samples 256 --warmup 20 --reach-samples 30 --throughput-rounds 5 --throughput-seconds 5</c>. FIRELINE_CLI names the fireline executable. Root required.
/// </summary>
public static class ClusterBenchmark
{
    private const int OperationWidth = 34;
    private const string Network = """{"subnet":"10.93.0.0/18"}""";

    public static int Run(string[] args)
    {
        var samples = Measure.Option(args, "--samples", 256);
        var warmup = Measure.Option(args, "--warmup", 20);
        using var etcd = new EtcdCluster();
        using var singleHost = Prepare();
        using var clustered = Prepare();
        using var single = Serve(singleHost, []);
        using var node = Serve(clustered, ["--cluster-etcd", etcd.ClientUrls, "--node", "bench", "--underlay-address", "192.0.2.1"], etcd.Launcher);

        var timings = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Record(string operation, double milliseconds)
        {
            if (!timings.TryGetValue(operation, out var list))
            {
                timings[operation] = list = [];
            }

            list.Add(milliseconds);
        }

        for (var i = -warmup; i < samples; i++)
        {
            var singleId = singleHost.Host.VmId($"s{i + warmup}");
            var singleCreate = Measure.Time(() => Ok(single.Send("PUT", $"/v1/vms/{singleId}", """{"network":"tenant"}""")));
            var clusterId = clustered.Host.VmId($"c{i + warmup}");
            DaemonProcess.Answer? answer = null;
            var clusterCreate = Measure.Time(() => answer = Ok(node.Send("PUT", $"/v1/vms/{clusterId}", """{"network":"tenant"}""")));
            if (i >= 0)
            {
                Record("api single-host create", singleCreate);
                Record("api cluster create (all)", clusterCreate);
                Record(ClaimedBlock(answer!) ? "api cluster create (new block)" : "api cluster create (held block)", clusterCreate);
            }
        }

        Reachability(Measure.Option(args, "--reach-samples", 30), Record);
        ClusterThroughput.Run(Measure.Option(args, "--throughput-rounds", 5), Measure.Option(args, "--throughput-seconds", 5));

        Measure.Header(OperationWidth);
        foreach (var (operation, milliseconds) in timings.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            Measure.Report("cluster", "1", operation, milliseconds, OperationWidth);
        }

        return 0;
    }

    /// <summary>
    /// Time from a create on node-0 until node-1 can reach the VM, on a two-node fleet (<see cref="ClusterFleet"/>): until
    /// node-1's kernel holds the VM's tunnel FDB entry (publish, watch, converge; polled over netlink every 1 ms), and
    /// until the VM answers a ping from a VM on node-1, its stand-in attached once the create returned (an upper bound:
    /// it includes the stand-in's own set-up).
    /// </summary>
    private static void Reachability(int samples, Action<string, double> record)
    {
        using var fleet = new ClusterFleet(nodes: 2);
        fleet.Define("reach", """{"subnet":"10.94.0.0/22"}""");
        var prober = fleet.Guest(1, fleet.Create(1, "prober", "reach"));
        using var rtnl = Rtnl.Open(fleet.Hosts[1].Host.HostNamespace);
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var vm = fleet.Create(0, $"r{i}", "reach");
            var mac = MacAddress.Parse(vm.GuestMac);
            while (!rtnl.Fdb.List().Any(e => e.Mac == mac && e.Table == FdbTable.Device))
            {
                Thread.Sleep(1);
            }

            record("create on A -> tunnel entry on B", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            using (new GuestStandIn(fleet.Hosts[0].Host, vm))
            {
                while (!prober.Ping(vm.Ipv4.Address))
                {
                }

                record("create on A -> answers B's ping", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            Ok(fleet.Daemons[0].Send("DELETE", $"/v1/vms/{vm.VmId}"));
        }
    }

    /// <summary>The VMs are never deleted, so the cursor walks the subnet: a block's first VM address claimed it.</summary>
    private static bool ClaimedBlock(DaemonProcess.Answer answer)
    {
        var bytes = IPAddress.Parse(answer.Json.GetProperty("ipv4").GetProperty("address").GetString()!).GetAddressBytes();
        var offset = bytes[3] % 64;
        return offset == 0 || (offset == 2 && bytes[2] == 0 && bytes[3] == 2);
    }

    private static EngineHost Prepare()
    {
        var env = new EngineHost();
        env.Engine.Dispose(); // the daemon takes the state directory
        return env;
    }

    private static DaemonProcess Serve(EngineHost env, IReadOnlyList<string> arguments, IReadOnlyList<string>? launcher = null)
    {
        var daemon = new DaemonProcess(env, arguments, launcher: launcher);
        Ok(daemon.Send("PUT", "/v1/host", "{}"));
        Ok(daemon.Send("PUT", "/v1/networks/tenant", Network));
        return daemon;
    }

    private static DaemonProcess.Answer Ok(DaemonProcess.Answer answer)
        => answer.Status is 200 or 201 ? answer : throw new InvalidOperationException($"the daemon answered {answer.Status}: {answer.Body}");
}
