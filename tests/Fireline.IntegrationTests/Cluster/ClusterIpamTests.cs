using System.Net;
using System.Text.Json;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// Cluster IPAM: nodes hand out addresses only from blocks they claimed in etcd by compare-and-swap, so concurrent
/// creates on every node never give one address twice; a create that needs a new block while etcd is unreachable is
/// refused with <c>cluster-unavailable</c> and leaves nothing behind, and one inside a held block needs no etcd.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class ClusterIpamTests : IDisposable
{
    private const string Network = "tenant";
    private const string Subnet = "10.60.0.0/20";
    private readonly EtcdCluster _etcd = new();
    private readonly List<EngineHost> _hosts = [];
    private readonly List<DaemonProcess> _daemons = [];

    [Fact]
    public void Three_nodes_creating_a_hundred_vms_each_at_once_in_one_network_never_give_an_address_twice()
    {
        for (var i = 0; i < 3; i++)
        {
            Join($"node-{i}");
        }

        // Ten rounds, as the issue asks: 3,000 addresses, none reused within the 60 s cooldown, so the subnet is a /20.
        for (var round = 0; round < 10; round++)
        {
            var requests = Enumerable.Range(0, 300).Select(i => (Daemon: _daemons[i % 3], Id: _hosts[i % 3].Host.VmId($"r{round}-{i}"))).ToList();
            var answers = new DaemonProcess.Answer[requests.Count];

            Parallel.For(0, requests.Count, new ParallelOptions { MaxDegreeOfParallelism = 24 },
                i => answers[i] = requests[i].Daemon.Send("PUT", $"/v1/vms/{requests[i].Id}", $$"""{"network":"{{Network}}"}"""));

            Assert.All(answers, a => Assert.True(a.Status == 200, a.Body));
            var addresses = answers.Select(a => a.Json.GetProperty("ipv4").GetProperty("address").GetString()!).ToList();
            Assert.Equal(300, addresses.Distinct().Count());
            // Each node's addresses lie in blocks the cluster lists as that node's.
            var held = Blocks(_daemons[0]);
            for (var i = 0; i < requests.Count; i++)
            {
                var node = $"node-{i % 3}";
                Assert.Contains(held[node], block => Contains(block, addresses[i]));
            }

            Parallel.For(0, requests.Count, new ParallelOptions { MaxDegreeOfParallelism = 24 },
                i => Assert.Equal(200, requests[i].Daemon.Send("DELETE", $"/v1/vms/{requests[i].Id}").Status));
        }
    }

    [Fact]
    public void Without_etcd_a_create_inside_a_held_block_succeeds_and_one_that_needs_a_new_block_is_refused_whole()
    {
        var daemon = Join("node-0");
        Assert.Equal(201, daemon.Send("PUT", "/v1/networks/other", """{"subnet":"10.61.0.0/24"}""").Status);
        Assert.Equal(200, daemon.Send("PUT", $"/v1/vms/{_hosts[0].Host.VmId("first")}", $$"""{"network":"{{Network}}"}""").Status);

        _etcd.StopAll();
        var held = daemon.Send("PUT", $"/v1/vms/{_hosts[0].Host.VmId("second")}", $$"""{"network":"{{Network}}"}""");
        var id = _hosts[0].Host.VmId("refused");
        var refused = daemon.Send("PUT", $"/v1/vms/{id}", """{"network":"other"}""");

        Assert.Equal(200, held.Status);
        Assert.Equal(503, refused.Status);
        Assert.Equal("cluster-unavailable", refused.Json.GetProperty("code").GetString());
        Assert.Equal(404, daemon.Send("GET", $"/v1/vms/{id}").Status);
        Assert.False(Ip.NamespaceExists($"vm-{id}"), "the refused create left its namespace");
        Assert.Equal(2, daemon.Send("GET", "/v1/vms").Json.GetArrayLength());
    }

    [Fact]
    public void Losing_one_etcd_member_of_three_changes_nothing_nodes_stay_alive_and_claim_new_blocks()
    {
        var daemons = new[] { Join("node-0"), Join("node-1") };

        _etcd.Stop(0);
        // Two lease periods: a node whose keep-alive stream did not move to another member would have expired.
        Thread.Sleep(2 * 5_000);

        foreach (var (daemon, i) in daemons.Select((d, i) => (d, i)))
        {
            var nodes = daemon.Send("GET", "/v1/cluster").Json.GetProperty("nodes").EnumerateArray().ToList();
            Assert.Equal(2, nodes.Count(n => n.GetProperty("alive").GetBoolean()));
            var created = daemon.Send("PUT", $"/v1/vms/{_hosts[i].Host.VmId("after")}", $$"""{"network":"{{Network}}"}""");
            Assert.True(created.Status == 200, created.Body);
        }

        Assert.All(Blocks(daemons[0]).Values, held => Assert.Single(held));
    }

    public void Dispose()
    {
        foreach (var daemon in _daemons)
        {
            daemon.Dispose();
        }

        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _etcd.Dispose();
    }

    private DaemonProcess Join(string node)
    {
        var host = new EngineHost();
        _hosts.Add(host);
        host.Engine.Dispose(); // the daemon takes the state directory
        var daemon = new DaemonProcess(host, ["--cluster-etcd", _etcd.ClientUrls, "--node", node, "--underlay-address", $"192.0.2.{41 + _hosts.Count}"],
            launcher: _etcd.Launcher);
        _daemons.Add(daemon);
        Assert.Equal(200, daemon.Send("PUT", "/v1/host", "{}").Status);
        // The network is the cluster's: a node that joins later may have it from etcd already (200), or define it (201).
        var defined = daemon.Send("PUT", $"/v1/networks/{Network}", $$"""{"subnet":"{{Subnet}}"}""");
        Assert.True(defined.Status is 200 or 201, defined.Body);
        return daemon;
    }

    /// <summary>The blocks each node holds, as <c>cluster status</c> lists them (<c>network:a.b.c.d/len</c>).</summary>
    private static Dictionary<string, List<string>> Blocks(DaemonProcess daemon)
        => daemon.Send("GET", "/v1/cluster").Json.GetProperty("nodes").EnumerateArray().ToDictionary(
            n => n.GetProperty("name").GetString()!,
            n => n.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()!).ToList());

    private static bool Contains(string block, string address)
    {
        var cidr = block[(block.IndexOf(':', StringComparison.Ordinal) + 1)..].Split('/');
        var prefix = int.Parse(cidr[1], System.Globalization.CultureInfo.InvariantCulture);
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (Value(cidr[0]) & mask) == (Value(address) & mask);
    }

    private static uint Value(string address)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}
