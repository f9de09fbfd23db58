using System.Globalization;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// iperf3 TCP throughput (one stream) between two VMs of one network on the same node and on two nodes (over VXLAN on the
/// fleet's 1500-byte underlay, so SYNs leaving by the VXLAN port are clamped to MSS 1410), on a two-node fleet
/// (<see cref="ClusterFleet"/>). The VMs' namespaces are turned into the guests (<see cref="SendingVm"/>): both paths
/// cross the same bridge chains and anti-spoofing; the cross-node one adds encapsulation, the underlay and the
/// receiving node's tunnel checks. Rounds alternate the order, so load drifts spread over both.
/// </summary>
public static class ClusterThroughput
{
    private const int NameWidth = 34;

    public static void Run(int rounds, int seconds)
    {
        using var fleet = new ClusterFleet(nodes: 2);
        fleet.Define("bulk", """{"subnet":"10.95.0.0/24"}""");
        var server = fleet.Create(0, "server", "bulk");
        var local = fleet.Create(0, "local", "bulk");
        var remote = fleet.Create(1, "remote", "bulk");
        Eventually.True(() => fleet.Tunnels(0, remote.GuestMac, 1) && fleet.Tunnels(1, server.GuestMac, 0), "both nodes programmed each other's VM");
        foreach (var vm in new[] { server, local, remote })
        {
            SendingVm.Prepare(vm);
        }

        (string Name, string Client)[] paths = [("same node", local.Namespace), ("across nodes (VXLAN)", remote.Namespace)];
        var results = paths.Select(_ => new List<double>(rounds)).ToArray();
        foreach (var (_, client) in paths)
        {
            Gbits(server, client, 1); // untimed: ARP, the tunnel's first frames, conntrack
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var p in round % 2 == 0 ? [0, 1] : new[] { 1, 0 })
            {
                results[p].Add(Gbits(server, paths[p].Client, seconds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cluster-throughput-run\t{paths[p].Name}\t{round + 1}\t{results[p][^1]:F3}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"iperf3 VM to VM, one TCP stream".PadRight(NameWidth)} {"runs",5} {"median",8} {"min",8} {"max",8}  Gbit/s, {seconds} s each"));
        for (var p = 0; p < paths.Length; p++)
        {
            var sorted = results[p].Order().ToList();
            var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{paths[p].Name.PadRight(NameWidth)} {sorted.Count,5} {median,8:F2} {sorted[0],8:F2} {sorted[^1],8:F2}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cluster-throughput\t{paths[p].Name}\t{sorted.Count}\t{median:F3}\t{sorted[0]:F3}\t{sorted[^1]:F3}"));
        }
    }

    private static double Gbits(Vms.VmRecord server, string client, int seconds)
        => Iperf3.MeasureBytesPerSecond(server.Namespace, server.Ipv4.Address, client, reverse: false, seconds) * 8 / 1e9;
}
