using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// Networks defined in etcd: a change on any node is the whole cluster's (one transaction), every node follows it
/// into its own networks, a delete is refused while any node has VMs in the network, and what etcd holds is
/// validated before a node materialises it. Each test uses networks of its own on one shared fleet.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class ClusterNetworkTests(ClusterNetworkFleet shared) : IClassFixture<ClusterNetworkFleet>
{
    private const int Port = 7000;
    private readonly ClusterFleet _fleet = shared.Fleet;

    [Fact]
    public void A_network_applied_on_one_node_is_every_nodes_and_a_policy_changed_on_another_is_enforced_on_the_first()
    {
        Assert.Equal(201, _fleet.Daemons[0].Send("PUT", "/v1/networks/spread", """{"subnet":"10.81.0.0/24"}""").Status);
        Eventually.True(() => _fleet.Network(1, "spread") is not null && _fleet.Network(2, "spread") is not null, "node-1 and node-2 show the network node-0 applied");
        Assert.Equal(_fleet.Network(0, "spread"), _fleet.Network(2, "spread"));
        Assert.NotNull(Ip.Link(_fleet.Hosts[2].Host.HostNamespaceName, "br-spread")); // materialised at once, without VMs

        var a = _fleet.Create(0, "spread-a", "spread");
        var b = _fleet.Create(1, "spread-b", "spread");
        var onA = _fleet.Guest(0, a);
        var onB = _fleet.Guest(1, b);
        onA.Listen(Port);
        Eventually.True(() => onB.CanConnect(a.Ipv4.Address, Port), "node-1's VM reaches node-0's under the default allow");

        // Changed on node-1: node-0, where the VM that receives lives, enforces the new ingress default.
        var changed = _fleet.Daemons[1].Send("PUT", "/v1/networks/spread", """
            {"subnet":"10.81.0.0/24","defaultIngress":"deny","policies":[{"name":"icmp","direction":"ingress","protocol":"icmp","action":"allow"}]}
            """);
        Assert.True(changed.Status == 200, changed.Body);
        Eventually.True(() => _fleet.Network(0, "spread") == _fleet.Network(1, "spread"), "node-0 follows the change made on node-1");
        Assert.True(onB.Ping(a.Ipv4.Address), "ICMP, which the new policy allows, still crosses");
        Assert.False(onB.CanConnect(a.Ipv4.Address, Port), "TCP is refused by node-0 under the ingress default node-1 set");

        Delete(0, a);
        Delete(1, b);
    }

    [Fact]
    public void Concurrent_applies_of_one_name_on_two_nodes_leave_one_definition_whole_on_every_node()
    {
        string[] definitions =
        [
            """{"subnet":"10.82.ROUND.0/24","defaultIngress":"deny","policies":[{"name":"web","direction":"ingress","protocol":"tcp","port":80,"action":"allow"}]}""",
            """{"subnet":"10.83.ROUND.0/24","nat":false,"policies":[{"name":"ssh","direction":"egress","protocol":"tcp","port":22,"action":"deny"}]}""",
        ];
        for (var round = 0; round < 3; round++)
        {
            var name = $"race-{round}";
            var answers = new DaemonProcess.Answer[2];
            Parallel.For(0, 2, i => answers[i] = _fleet.Daemons[i].Send("PUT", $"/v1/networks/{name}", definitions[i].Replace("ROUND", $"{round}", StringComparison.Ordinal)));

            Assert.All(answers, answer => Assert.True(answer.Status is 200 or 201 or 409, answer.Body));
            Assert.Contains(answers, answer => answer.Status is 200 or 201);
            Eventually.True(() => _fleet.Network(0, name) is { } first && Enumerable.Range(1, 2).All(i => _fleet.Network(i, name) == first),
                "every node converges on one definition");
            var network = _fleet.Daemons[2].Send("GET", $"/v1/networks/{name}").Json;
            var subnet = network.GetProperty("subnet").GetString();
            var policy = network.GetProperty("policies")[0].GetProperty("name").GetString();
            var ingress = network.GetProperty("defaultIngress").GetString();
            Assert.True((subnet, policy, ingress) == ($"10.82.{round}.0/24", "web", "deny") || (subnet, policy, ingress) == ($"10.83.{round}.0/24", "ssh", "allow"),
                $"one definition whole: {network}");
        }
    }

    [Fact]
    public void A_delete_or_a_new_subnet_is_refused_while_another_node_has_vms_in_the_network_and_a_delete_then_removes_it_everywhere()
    {
        _fleet.Define("shared", """{"subnet":"10.84.0.0/24"}""");
        var vm = _fleet.Create(1, "shared-vm", "shared");
        Eventually.True(() => EtcdKeys.Under(_fleet.Etcd, "/fireline/endpoints/shared/").Count == 1, "node-1 published its VM");

        var refused = _fleet.Daemons[0].Send("DELETE", "/v1/networks/shared");

        Assert.Equal(409, refused.Status);
        Assert.Equal("conflict", refused.Json.GetProperty("code").GetString());
        Assert.Contains("node-1", refused.Body, StringComparison.Ordinal);
        var moved = _fleet.Daemons[2].Send("PUT", "/v1/networks/shared", """{"subnet":"10.94.0.0/24"}""");
        Assert.Equal(409, moved.Status);
        Assert.Equal("subnet", moved.Json.GetProperty("field").GetString());
        Assert.Contains("node-1", moved.Body, StringComparison.Ordinal);
        Assert.Contains("/fireline/networks/defined/shared", EtcdKeys.Under(_fleet.Etcd, "/fireline/networks/").Keys);
        Assert.Contains("10.84.0.0/24", EtcdKeys.Under(_fleet.Etcd, "/fireline/networks/defined/shared")["/fireline/networks/defined/shared"], StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, 3), i => Assert.NotNull(_fleet.Network(i, "shared")));

        Delete(1, vm);
        Eventually.True(() => EtcdKeys.Under(_fleet.Etcd, "/fireline/endpoints/shared/").Count == 0, "node-1 withdrew its VM");
        Assert.Equal(200, _fleet.Daemons[0].Send("DELETE", "/v1/networks/shared").Status);

        Eventually.True(() => Enumerable.Range(0, 3).All(i => _fleet.Network(i, "shared") is null), "every node removed the network");
        Assert.All(_fleet.Hosts, host => Eventually.True(() => Ip.Link(host.Host.HostNamespaceName, "br-shared") is null, "its bridge is gone"));
    }

    [Fact]
    public void A_definition_that_is_invalid_or_not_a_network_is_never_materialised_and_the_nodes_keep_following()
    {
        EtcdKeys.Put(_fleet.Etcd, "/fireline/networks/defined/evil", """{"name":"evil","subnet":"10.85.0.0/24","bridge":"eth0","vlan":5000}""");
        EtcdKeys.Put(_fleet.Etcd, "/fireline/networks/defined/junk", "not json");
        EtcdKeys.Put(_fleet.Etcd, "/fireline/networks/defined/alias", """{"name":"spread","subnet":"10.86.0.0/24","bridge":"br-alias"}""");

        _fleet.Define("after", """{"subnet":"10.87.0.0/24"}""");

        Assert.All(Enumerable.Range(0, 3), i =>
        {
            Assert.Null(_fleet.Network(i, "evil"));
            Assert.Null(_fleet.Network(i, "junk"));
            Assert.Null(_fleet.Network(i, "alias"));
            Assert.Equal(200, _fleet.Daemons[i].Send("GET", "/v1/host").Status);
        });
        Eventually.True(() => _fleet.Daemons[1].Log.Contains("network 'evil' is invalid", StringComparison.Ordinal), "the node logged why it skipped it");
        Assert.Contains("network 'junk' is invalid (not JSON", _fleet.Daemons[1].Log, StringComparison.Ordinal);
        Assert.Null(Ip.Link(_fleet.Hosts[1].Host.HostNamespaceName, "br-alias"));
    }

    [Fact]
    public void Bad_input_is_refused_naming_the_field_and_nothing_is_written_to_etcd()
    {
        var before = EtcdKeys.Under(_fleet.Etcd, "/fireline/");

        var refused = _fleet.Daemons[2].Send("PUT", "/v1/networks/bad", """{"subnet":"10.88.0.0/24","policies":[{"name":"x","direction":"ingress","protocol":"tcp","port":70000,"action":"allow"}]}""");

        Assert.Equal(400, refused.Status);
        Assert.Equal("invalid-argument", refused.Json.GetProperty("code").GetString());
        Assert.Equal("policies[0].port", refused.Json.GetProperty("field").GetString());
        var after = EtcdKeys.Under(_fleet.Etcd, "/fireline/");
        Assert.DoesNotContain(after.Keys, key => key.StartsWith("/fireline/networks/", StringComparison.Ordinal) && key.EndsWith("/bad", StringComparison.Ordinal));
        Assert.DoesNotContain(after, kv => kv.Key.StartsWith("/fireline/vni/", StringComparison.Ordinal) && kv.Value == "bad");
        Assert.Equal(before.Keys.Where(k => k.StartsWith("/fireline/networks/", StringComparison.Ordinal)), after.Keys.Where(k => k.StartsWith("/fireline/networks/", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_node_that_was_stopped_catches_up_at_start_with_networks_applied_and_deleted_by_the_cli_meanwhile()
    {
        _fleet.Define("catchup-gone", """{"subnet":"10.92.0.0/24"}""");
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "networks:\n  - name: catchup-new\n    subnet: 10.93.0.0/24\n    defaultEgress: deny\n");
        _fleet.Daemons[2].Stop();
        try
        {
            var applied = _fleet.Daemons[0].Cli("network", "apply", "-f", file);
            Assert.True(applied.ExitCode == 0, applied.StandardError);
            var deleted = _fleet.Daemons[1].Cli("network", "delete", "catchup-gone");
            Assert.True(deleted.ExitCode == 0, deleted.StandardError);
        }
        finally
        {
            File.Delete(file);
            _fleet.Daemons[2].Start();
        }

        Eventually.True(() => _fleet.Network(2, "catchup-new") == _fleet.Network(0, "catchup-new") && _fleet.Network(2, "catchup-gone") is null,
            "node-2 read the cluster's networks when it started again");
        Assert.Null(Ip.Link(_fleet.Hosts[2].Host.HostNamespaceName, "br-catchup-gone"));
        Assert.NotNull(Ip.Link(_fleet.Hosts[2].Host.HostNamespaceName, "br-catchup-new"));
    }

    private void Delete(int node, Vms.VmRecord vm) => Assert.Equal(200, _fleet.Daemons[node].Send("DELETE", $"/v1/vms/{vm.VmId}").Status);
}

/// <summary>One fleet of three nodes for <see cref="ClusterNetworkTests"/>.</summary>
public sealed class ClusterNetworkFleet : IDisposable
{
    public ClusterFleet Fleet { get; } = new();

    public void Dispose() => Fleet.Dispose();
}

/// <summary>With etcd gone, a network change is refused whole and what a node has keeps working.</summary>
[Trait("Category", Categories.Integration)]
public sealed class ClusterNetworkOutageTests
{
    [Fact]
    public void Without_etcd_an_apply_is_refused_as_cluster_unavailable_and_changes_nothing()
    {
        using var fleet = new ClusterFleet(nodes: 1);
        fleet.Define("kept", """{"subnet":"10.89.0.0/24"}""");
        fleet.Define("spare", """{"subnet":"10.91.0.0/24"}""");
        fleet.Create(0, "first", "kept"); // claims the block the create below uses without etcd
        var kept = fleet.Network(0, "kept");
        fleet.Etcd.StopAll();

        var added = fleet.Daemons[0].Send("PUT", "/v1/networks/added", """{"subnet":"10.90.0.0/24"}""");
        var changed = fleet.Daemons[0].Send("PUT", "/v1/networks/kept", """{"subnet":"10.89.0.0/24","defaultIngress":"deny"}""");
        var deleted = fleet.Daemons[0].Send("DELETE", "/v1/networks/spare");

        Assert.All([added, changed, deleted], answer =>
        {
            Assert.Equal(503, answer.Status);
            Assert.Equal("cluster-unavailable", answer.Json.GetProperty("code").GetString());
        });
        Assert.Null(fleet.Network(0, "added"));
        Assert.Null(Ip.Link(fleet.Hosts[0].Host.HostNamespaceName, "br-added"));
        Assert.Equal(kept, fleet.Network(0, "kept"));
        Assert.NotNull(fleet.Network(0, "spare"));
        var vm = fleet.Create(0, "still", "kept"); // an existing network keeps working
        Assert.StartsWith("10.89.0.", vm.Ipv4.Address, StringComparison.Ordinal);
    }
}
