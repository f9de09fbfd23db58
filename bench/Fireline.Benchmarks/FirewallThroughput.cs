using System.Globalization;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// iperf3 TCP throughput (one stream) from a VM's namespace to the test host's outside namespace, through the
/// bridge, Fireline's anti-spoofing and forward chains and NAT (<see cref="SendingVm"/>), with the large host's
/// firewall state as it is (every VM's elements loaded) and with its sets holding the sender alone ("none"), and
/// from the small host's sender for reference. The same for the iptables peer: a namespace routing between two
/// others through a FORWARD chain with the large host's number of VMs' jumps, and with an empty table. Every
/// configuration runs once per round, in turn (every other round in reverse), so load drifts spread over all of them.
/// </summary>
public static class FirewallThroughput
{
    private const int NameWidth = 44;

    public static void Run(FirewallHost large, FirewallHost? small, int rounds, int seconds, CancellationToken stop)
    {
        var outside = (large.Env.Host.OutsideNamespaceName, TestHost.OutsideAddress.ToString());
        SendingVm.Prepare(large.Sender);
        var (peerSender, peerReceiver, peerAddress) = large.Peer.Route();
        var loaded = string.Create(CultureInfo.InvariantCulture, $"{large.Size} VMs");
        var configurations = new List<Configuration>
        {
            new($"fireline, {loaded}' elements loaded", large.RestoreElements, outside, large.Sender.Namespace),
            new("fireline, sets hold the sender alone", large.KeepOnlySender, outside, large.Sender.Namespace),
        };
        if (small is not null)
        {
            SendingVm.Prepare(small.Sender);
            configurations.Add(new($"fireline, host with {small.Size} VMs", () => { },
                (small.Env.Host.OutsideNamespaceName, TestHost.OutsideAddress.ToString()), small.Sender.Namespace));
        }

        configurations.Add(new($"iptables, {loaded}' rules in FORWARD", () => Reload(large), (peerReceiver, peerAddress), peerSender));
        configurations.Add(new("iptables, no rules", large.Peer.Clear, (peerReceiver, peerAddress), peerSender));

        var results = configurations.Select(_ => new List<double>(rounds)).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            // Every other round in reverse order, so that no configuration always runs first or right after another one.
            foreach (var c in round % 2 == 0 ? Enumerable.Range(0, configurations.Count) : Enumerable.Range(0, configurations.Count).Reverse())
            {
                stop.ThrowIfCancellationRequested();
                configurations[c].Setup();
                if (round == 0)
                {
                    configurations[c].Gbits(1); // untimed: ARP, routes, conntrack and the first NAT mapping warm up
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"firewall: {configurations[c].Name}: set vm_ipv4 holds {large.Elements}, the peer's FORWARD {large.Peer.Loaded} VMs' jumps"));
                }

                results[c].Add(configurations[c].Gbits(seconds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"firewall-run\t{configurations[c].Name}\t{round + 1}\t{results[c][^1]:F3}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"iperf3 from the VM, one TCP stream".PadRight(NameWidth)} {"runs",5} {"median",8} {"min",8} {"max",8}  Gbit/s, {seconds} s each"));
        for (var c = 0; c < configurations.Count; c++)
        {
            var sorted = results[c].Order().ToList();
            var median = Median(sorted);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{configurations[c].Name.PadRight(NameWidth)} {sorted.Count,5} {median,8:F2} {sorted[0],8:F2} {sorted[^1],8:F2}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"firewall-throughput\t{configurations[c].Name}\t{sorted.Count}\t{median:F3}\t{sorted[0]:F3}\t{sorted[^1]:F3}"));
        }

        Ratio("fireline", results[0], results[1]);
        Ratio("iptables", results[^2], results[^1]);
        large.RestoreElements();
        Reload(large); // the timed phases after this one expect every VM's rules in place
    }

    /// <summary>Median loaded ÷ median none, and the median of the rounds' own ratios (each pair measured minutes apart at most).</summary>
    private static void Ratio(string approach, List<double> loaded, List<double> none)
    {
        var ofMedians = Median([.. loaded.Order()]) / Median([.. none.Order()]);
        var paired = Median([.. loaded.Zip(none, (l, n) => l / n).Order()]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{approach}: loaded ÷ none = {ofMedians:P1} (ratio of medians), {paired:P1} (median of the rounds' ratios)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"firewall-ratio\t{approach}\t{ofMedians:F4}\t{paired:F4}"));
    }

    private static void Reload(FirewallHost host)
    {
        if (host.Peer.Loaded != host.Size)
        {
            host.Peer.Load(host.Size);
        }
    }

    /// <summary>What is measured: a setup that makes the state so, an iperf3 server (namespace, address) and the client's namespace.</summary>
    private sealed record Configuration(string Name, Action Setup, (string Namespace, string Address) Server, string Client)
    {
        public double Gbits(int seconds) => Iperf3.MeasureBytesPerSecond(Server.Namespace, Server.Address, Client, reverse: false, seconds) * 8 / 1e9;
    }

    private static double Median(List<double> sorted)
        => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
