using System.Diagnostics;
using Fireline.TestSupport;
using Xunit.Abstractions;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// A gone node's address blocks return to the pool after the reclaim delay (shortened to 10 s here through
/// FIRELINE_CLUSTER_RECLAIM_SECONDS; 60 s by default), and only if it has not come back: a node back in time keeps its
/// blocks and its VMs; a node back too late holds nothing any more, hands out nothing from its old blocks and does not
/// publish its VMs there, while the node that took them hands their addresses out. The network is a /26, one block,
/// so every address of it is the gone node's until reclaimed.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class ClusterReclaimTests(ITestOutputHelper output) : IDisposable
{
    private const string Network = "tenant";
    private const string Block = "tenant:10.74.0.0/26";
    private const int ReclaimSeconds = 10;
    private readonly ClusterFleet _fleet = new(nodes: 2, new Dictionary<string, string> { ["FIRELINE_CLUSTER_RECLAIM_SECONDS"] = "10" });

    [Fact]
    public void A_node_back_before_the_reclaim_delay_keeps_its_blocks_and_one_gone_longer_loses_them_to_a_node_that_hands_them_out()
    {
        _fleet.Define(Network, """{"subnet":"10.74.0.0/26"}""");
        var a = _fleet.Create(0, "a", Network);
        Assert.Equal("subnet-exhausted", Refused(1, "early"));
        Assert.Equal([Block], _fleet.Blocks(1, "node-0"));

        // Back in time: gone (seen so by node-1) for less than the delay, then alive for more than it.
        _fleet.Kill(0);
        Eventually.True(() => !_fleet.Alive(1, "node-0"), "node-1 sees node-0 gone");
        _fleet.Daemons[0].Start();
        Eventually.True(() => _fleet.Alive(1, "node-0"), "node-0 registered again");
        Thread.Sleep(TimeSpan.FromSeconds(ReclaimSeconds + 3)); // a reclaim, had node-1 kept counting, would have happened by now
        Assert.Equal([Block], _fleet.Blocks(1, "node-0"));
        Assert.Empty(_fleet.Blocks(1, "node-1"));
        Assert.Equal(200, _fleet.Daemons[0].Send("PUT", $"/v1/vms/{_fleet.Hosts[0].Host.VmId("kept")}", $$"""{"network":"{{Network}}"}""").Status);

        // Gone for longer: node-1 reclaims the block (its create, refused before, then succeeds inside it).
        var killed = Stopwatch.StartNew();
        _fleet.Kill(0);
        Eventually.True(() => _fleet.Blocks(1, "node-0").Count == 0, "node-1 reclaimed node-0's block", seconds: 60);
        output.WriteLine($"kill -9 to the block reclaimed (lease 5 s + delay {ReclaimSeconds} s + one look): {killed.Elapsed.TotalSeconds:F1} s");
        var b = _fleet.Create(1, "b", Network);
        Assert.Equal([Block], _fleet.Blocks(1, "node-1"));
        Assert.StartsWith("10.74.0.", b.Ipv4.Address, StringComparison.Ordinal);

        // Back too late: it holds nothing, hands out nothing there, and does not publish its VM (whose address node-1 may reuse).
        _fleet.Daemons[0].Start();
        Eventually.True(() => _fleet.Alive(1, "node-0") && _fleet.Daemons[0].Log.Contains($"VM {a.VmId} ({a.Ipv4.Address}) is not published", StringComparison.Ordinal),
            $"node-0 back, and refusing to publish its VM; log:\n{_fleet.Daemons[0].Log}");
        Assert.Empty(_fleet.Blocks(1, "node-0"));
        Assert.Equal("subnet-exhausted", Refused(0, "late"));
        Assert.DoesNotContain($"dst {ClusterFleet.UnderlayAddress(0)}", _fleet.Fdb(1), StringComparison.Ordinal);
    }

    public void Dispose() => _fleet.Dispose();

    private string? Refused(int node, string name)
    {
        var answer = _fleet.Daemons[node].Send("PUT", $"/v1/vms/{_fleet.Hosts[node].Host.VmId(name)}", $$"""{"network":"{{Network}}"}""");
        Assert.NotEqual(200, answer.Status);
        return answer.Json.GetProperty("code").GetString();
    }
}
