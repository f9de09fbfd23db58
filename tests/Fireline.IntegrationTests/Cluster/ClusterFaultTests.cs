using System.Diagnostics;
using System.Globalization;
using Fireline.Faults;
using Fireline.TestSupport;
using Fireline.Vms;
using Xunit.Abstractions;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// Faults on a two-node fleet: every etcd member stopped, a node partitioned (underlay and etcd) and healed, a daemon
/// killed mid-create. After each: no address on two nodes, nothing half-made, and the fleet converges by itself. The
/// convergence times are written to the test output (no timed asserts: the waits are bounded); measured figures are in
/// the README's "Failures".
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class ClusterFaultTests(ITestOutputHelper output) : IDisposable
{
    private const string Network = "tenant";
    private readonly ClusterFleet _fleet = new(nodes: 2);

    [Fact]
    public void With_every_etcd_member_stopped_running_vms_keep_talking_only_creates_inside_held_blocks_succeed_and_etcd_back_reconnects()
    {
        _fleet.Define(Network, """{"subnet":"10.76.0.0/24"}""");
        _fleet.Define("other", """{"subnet":"10.77.0.0/24"}""");
        var (a, b) = (Guest(0, "a"), Guest(1, "b"));
        Eventually.True(() => a.StandIn.Ping(b.Vm.Ipv4.Address), "the VMs reach each other across nodes");

        _fleet.Etcd.StopAll();
        Thread.Sleep(TimeSpan.FromSeconds(6)); // longer than a lease: whatever the nodes do about it, the kernel keeps the path

        Assert.True(a.StandIn.Ping(b.Vm.Ipv4.Address), "node-0's VM still reaches node-1's with etcd gone");
        Assert.True(b.StandIn.Ping(a.Vm.Ipv4.Address), "and back");
        var refusedId = _fleet.Hosts[0].Host.VmId("refused");
        var refused = _fleet.Daemons[0].Send("PUT", $"/v1/vms/{refusedId}", """{"network":"other"}""");
        Assert.Equal(503, refused.Status);
        Assert.Equal("application/problem+json", refused.ContentType);
        Assert.Equal("cluster-unavailable", refused.Json.GetProperty("code").GetString());
        Assert.Equal(404, _fleet.Daemons[0].Send("GET", $"/v1/vms/{refusedId}").Status);
        Assert.False(Ip.NamespaceExists($"vm-{refusedId}"), "the refused create left its namespace");
        var held = Guest(0, "held");

        var back = Stopwatch.StartNew(); // measured: 2.8–5.9 s to the offline-made VM reached from node-1
        _fleet.Etcd.Resume();
        Eventually.True(() => _fleet.Alive(1, "node-0") && _fleet.Alive(1, "node-1"), "both nodes alive again once etcd is back", seconds: 120);
        Eventually.True(() => b.StandIn.Ping(held.Vm.Ipv4.Address), "the VM made without etcd is published and reached from node-1", seconds: 120);
        output.WriteLine($"etcd back to the offline-made VM reachable from the other node: {back.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(3, AllAddresses().Distinct().Count());
    }

    [Fact]
    public void A_partitioned_node_keeps_its_vms_and_its_own_blocks_the_other_drops_its_entries_and_all_converge_after_healing()
    {
        _fleet.Define(Network, """{"subnet":"10.78.0.0/24"}""");
        var (a, b) = (Guest(0, "a"), Guest(1, "b"));
        Eventually.True(() => a.StandIn.Ping(b.Vm.Ipv4.Address), "the VMs reach each other across nodes");

        var cut = Stopwatch.StartNew(); // measured: node-1 drops node-0's entries 3.9–4.4 s after the cut
        _fleet.Partition(0);
        Eventually.True(() => !_fleet.Alive(1, "node-0") && !_fleet.Fdb(1).Contains($"dst {ClusterFleet.UnderlayAddress(0)}", StringComparison.Ordinal),
            $"node-1 sees node-0 gone and drops its entries; FDB:\n{_fleet.Fdb(1)}");
        output.WriteLine($"partition to node-0's entries gone from node-1: {cut.Elapsed.TotalSeconds:F1} s");
        var (a2, b2) = (Guest(0, "a2"), Guest(1, "b2")); // each inside its own node's block
        Assert.True(a.StandIn.Ping(a2.Vm.Ipv4.Address), "the partitioned node's VMs still reach each other");
        Assert.Equal(4, AllAddresses().Distinct().Count());

        var healed = Stopwatch.StartNew(); // measured: 1.2–1.3 s to the partition-time VMs reaching each other
        _fleet.Heal(0);
        try
        {
            Eventually.True(() => _fleet.Alive(1, "node-0"), "node-0 alive again after healing", seconds: 60);
            Eventually.True(() => _fleet.Tunnels(1, a2.Vm.GuestMac, 0) && _fleet.Tunnels(0, b2.Vm.GuestMac, 1), "both nodes program the partition-time VMs", seconds: 60);
            Eventually.True(() => b2.StandIn.Ping(a2.Vm.Ipv4.Address) && a.StandIn.Ping(b2.Vm.Ipv4.Address),
                "after healing, the VMs made on both sides during the partition reach each other", seconds: 60);
        }
        catch (Exception error)
        {
            throw new InvalidOperationException($"{error.Message}\nFDB node-0:\n{_fleet.Fdb(0)}\nFDB node-1:\n{_fleet.Fdb(1)}\nlog node-0:\n{_fleet.Daemons[0].Log}", error);
        }

        output.WriteLine($"heal to the partition-time VMs reaching each other: {healed.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(4, AllAddresses().Distinct().Count());
        Assert.Empty(_fleet.Blocks(1, "node-0").Intersect(_fleet.Blocks(1, "node-1")));
    }

    [Fact]
    public void A_daemon_killed_mid_create_leaves_no_device_endpoint_or_address_twice_after_its_restart()
    {
        _fleet.Define(Network, """{"subnet":"10.79.0.0/24"}""");
        Guest(0, "a");
        Guest(1, "b");
        var id = _fleet.Hosts[0].Host.VmId("crashed");
        var daemon = _fleet.Restart(0, new Dictionary<string, string> { [FaultPoints.Variable] = "create.datapath" });

        Assert.ThrowsAny<HttpRequestException>(() => daemon.Send("PUT", $"/v1/vms/{id}", $$"""{"network":"{{Network}}"}"""));
        _fleet.Restart(0);

        var vms = _fleet.Vms(0);
        Assert.Equal(vms.Any(v => v.VmId == id), Ip.NamespaceExists($"vm-{id}")); // kept whole, or nothing left of it
        Eventually.True(() => Published(1, 0).SetEquals(vms.Select(v => v.GuestMac)),
            $"node-1 programs exactly node-0's VMs; FDB:\n{_fleet.Fdb(1)}");
        _fleet.Create(0, "after", Network);
        var addresses = AllAddresses();
        Assert.Equal(addresses.Count, addresses.Distinct().Count());
    }

    public void Dispose() => _fleet.Dispose();

    private (VmRecord Vm, GuestStandIn StandIn) Guest(int node, string name)
    {
        var vm = _fleet.Create(node, name, Network);
        return (vm, _fleet.Guest(node, vm));
    }

    private List<string> AllAddresses() => [.. Enumerable.Range(0, _fleet.Daemons.Count).SelectMany(_fleet.Vms).Select(v => v.Ipv4.Address)];

    /// <summary>The MACs node <paramref name="node"/> tunnels to node <paramref name="remote"/>.</summary>
    private HashSet<string> Published(int node, int remote)
        => [.. _fleet.Fdb(node).Split('\n').Where(l => l.Contains($" dst {ClusterFleet.UnderlayAddress(remote)} self", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[0]).Where(mac => mac != "00:00:00:00:00:00")];
}
