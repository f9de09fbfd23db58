using Fireline.Addressing;
using Fireline.Faults;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Networks;

/// <summary>
/// A network past a bridge's 1,024 ports: every VM created, each on the bridge of its address's segment, no bridge over
/// a segment's size; deleting the network leaves no segment bridge and no route; a process killed while making a
/// segment leaves, after reconcile, a consistent host that a network delete empties.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class SegmentsTests : IDisposable
{
    private const string Subnet = "10.150.0.0/21";
    private readonly EngineHost _env = new();

    public SegmentsTests() => _env.Engine.InitHost(new HostInitRequest());

    private string Ns => _env.Host.HostNamespaceName;

    private static string File(string subnet) => $"networks:\n  - name: big\n    subnet: {subnet}\n";

    /// <summary>The host's links named like the network's further segments, and its routes into the subnet.</summary>
    private (List<string> Segments, List<string> Routes) Leftovers(string subnet)
    {
        var prefix = NetworkSegments.Prefix("br-big");
        var segments = Ip.Links(Ns).Select(l => l.GetProperty("ifname").GetString()!).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var network = Ipv4Network.Parse(subnet);
        var routes = Ip.Routes(Ns).Select(r => r.GetProperty("dst").GetString()!)
            .Where(d => d.Contains('/', StringComparison.Ordinal) && network.Contains(Ipv4Network.Parse(d).Network)).ToList();
        return (segments, routes);
    }

    [Fact]
    public void A_network_holds_more_vms_than_a_bridge_has_ports_each_on_its_segment_and_delete_leaves_nothing()
    {
        _env.Engine.ApplyNetworks(File(Subnet), dryRun: false, prune: false);
        var ids = Enumerable.Range(0, 1100).Select(i => _env.Host.VmId($"s{i}")).ToList();
        Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, id => _env.Engine.CreateVm(new VmCreateRequest { VmId = id, Network = "big" }));

        var vms = _env.Engine.ListVms();
        Assert.Equal(1100, vms.Count);
        Assert.Equal(1100, vms.Select(v => v.Ipv4.Address).Distinct().Count());
        var subnet = Ipv4Network.Parse(Subnet);
        var masters = Ip.Links(Ns).Where(l => l.TryGetProperty("master", out _))
            .ToDictionary(l => l.GetProperty("ifname").GetString()!, l => l.GetProperty("master").GetString()!);
        foreach (var vm in vms)
        {
            var segment = NetworkSegments.Of(subnet, Ipv4Network.ToUInt32(System.Net.IPAddress.Parse(vm.Ipv4.Address)));
            Assert.Equal(NetworkSegments.Bridge("br-big", segment), masters[vm.HostVeth]);
        }

        var ports = masters.Values.GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, ports.Count); // 1,100 addresses from .0.2 on: segments 0-4
        Assert.All(ports.Values, count => Assert.InRange(count, 1, NetworkSegments.Size));
        KernelState.AssertConsistent(_env, vms);
        Assert.Equal(4, Leftovers(Subnet).Routes.Count(r => r.EndsWith("/24", StringComparison.Ordinal)));

        Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, id => _env.Engine.DeleteVm(id));
        _env.Engine.DeleteNetwork("big");

        Assert.Equal((0, 0), (Leftovers(Subnet).Segments.Count, Leftovers(Subnet).Routes.Count));
        Assert.Null(Ip.Link(Ns, "br-big"));
    }

    [Fact]
    public void A_process_killed_while_making_a_segment_leaves_what_reconcile_makes_whole_and_delete_removes()
    {
        const string subnet = "10.151.0.0/23";
        _env.Engine.ApplyNetworks(File(subnet), dryRun: false, prune: false);
        Parallel.For(0, 254, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId($"f{i}"), Network = "big" }));
        _env.Engine.Dispose(); // the CLI below takes the state directory's lock

        var id = _env.Host.VmId("first-of-segment-1");
        var run = Cli.Run([.. _env.CliScope, "vm", "create", id, "--network", "big"], new Dictionary<string, string> { [FaultPoints.Variable] = FaultPoints.SegmentCreate });
        Assert.True(run.ExitCode == 137, $"the create was not killed at {FaultPoints.SegmentCreate}: {run.StandardError}");
        var reconcile = Cli.Run([.. _env.CliScope, "-o", "json", "reconcile"]);
        Assert.True(reconcile.ExitCode == 0, reconcile.StandardError);

        var engine = _env.Reopen();
        var vms = engine.ListVms();
        Assert.Equal(254, vms.Count); // the create was undone
        KernelState.AssertConsistent(_env, vms);
        Assert.Empty(engine.Reconcile().Actions); // a second reconcile finds nothing more
        var made = engine.CreateVm(new VmCreateRequest { VmId = id, Network = "big" });
        Assert.Equal(NetworkSegments.Bridge("br-big", 1), Ip.Link(Ns, made.HostVeth)!.Value.GetProperty("master").GetString());

        Parallel.ForEach(engine.ListVms(), new ParallelOptions { MaxDegreeOfParallelism = 4 }, vm => engine.DeleteVm(vm.VmId));
        engine.DeleteNetwork("big");
        Assert.Equal((0, 0), (Leftovers(subnet).Segments.Count, Leftovers(subnet).Routes.Count));
    }

    [Fact]
    public void A_segment_bridge_removed_by_hand_is_found_by_doctor_and_made_again_by_reconcile()
    {
        const string subnet = "10.152.0.0/23";
        _env.Engine.ApplyNetworks(File(subnet), dryRun: false, prune: false);
        Parallel.For(0, 255, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId($"f{i}"), Network = "big" }));
        var segment = NetworkSegments.Bridge("br-big", 1);
        Assert.Equal(Fireline.Doctor.CheckStatus.Pass, _env.Engine.Doctor(null).Checks.Single(c => c.Check == "segments" && c.Scope == "network big").Status);

        Ip.Run("-n", Ns, "link", "del", segment);
        var check = _env.Engine.Doctor(null).Checks.Single(c => c.Check == "segments" && c.Scope == "network big");
        Assert.Equal(Fireline.Doctor.CheckStatus.Fail, check.Status);
        Assert.Contains(segment, check.Detail, StringComparison.Ordinal);

        Assert.Contains(_env.Engine.Reconcile().Actions, a => a.Detail.Contains(segment, StringComparison.Ordinal));
        var vms = _env.Engine.ListVms();
        KernelState.AssertConsistent(_env, vms);
        var far = vms.Single(v => v.Ipv4.Address == "10.152.1.0");
        Assert.Equal(segment, Ip.Link(Ns, far.HostVeth)!.Value.GetProperty("master").GetString());
        Assert.Single(Leftovers(subnet).Routes, r => r == "10.152.1.0/24");
        var report = _env.Engine.Doctor(null);
        Assert.True(report.Healthy, string.Join("; ", report.Checks.Where(c => c.Status == Fireline.Doctor.CheckStatus.Fail).Select(c => $"{c.Scope} {c.Check}: {c.Detail}")));
    }

    public void Dispose() => _env.Dispose();
}
