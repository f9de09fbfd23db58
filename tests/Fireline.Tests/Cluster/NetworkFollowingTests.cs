using System.Text;
using Fireline.Addressing;
using Fireline.Cluster;
using Fireline.Errors;
using Fireline.Networks;
using Fireline.Policy;
using Fireline.State;

namespace Fireline.Tests.Cluster;

public sealed class NetworkFollowingTests
{
    private static NetworkSpec Spec(string name, string subnet) => new() { Name = name, Subnet = Ipv4Network.Parse(subnet), Bridge = "br-" + name };

    private static Dictionary<string, NetworkSpec> Local(params NetworkSpec[] specs) => specs.ToDictionary(s => s.Name, StringComparer.Ordinal);

    private static NetworkDefinitions Cluster(NetworkSpec[] defined, params string[] deleted)
        => new([.. defined.Select(s => (s.Name, (ReadOnlyMemory<byte>)NetworkJson.Write(s)))], deleted);

    [Fact]
    public void A_definition_the_node_lacks_or_holds_otherwise_is_applied_and_an_equal_one_is_not()
    {
        var same = Spec("same", "10.20.0.0/24");
        var changed = Spec("changed", "10.21.0.0/24") with { DefaultIngress = PolicyAction.Deny };
        var plan = NetworkFollowing.Plan(Local(same, Spec("changed", "10.21.0.0/24")), Cluster([same, changed, Spec("new", "10.22.0.0/24")]));

        Assert.Equal(["changed", "new"], plan.Apply.Select(f => f.Networks.Single().Name).Order());
        Assert.Equal(changed, plan.Apply.Single(f => f.Networks[0].Name == "changed").Networks[0]);
        Assert.Empty(plan.Remove);
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void Nothing_to_do_when_the_node_holds_every_definition()
    {
        var spec = Spec("a", "10.20.0.0/24");
        Assert.False(NetworkFollowing.Plan(Local(spec, Spec("own", "10.30.0.0/24")), Cluster([spec], "gone")).Changes);
    }

    [Fact]
    public void Only_networks_the_cluster_deleted_are_removed_never_the_nodes_own()
    {
        var plan = NetworkFollowing.Plan(Local(Spec("deleted", "10.20.0.0/24"), Spec("own", "10.30.0.0/24")), Cluster([], "deleted", "never-here"));

        Assert.Equal(["deleted"], plan.Remove);
        Assert.Empty(plan.Apply);
    }

    [Fact]
    public void A_name_defined_again_is_not_removed_even_if_a_stale_tombstone_is_read()
    {
        var spec = Spec("back", "10.20.0.0/24");
        Assert.Empty(NetworkFollowing.Plan(Local(spec), Cluster([spec], "back")).Remove);
    }

    [Theory]
    [InlineData("""{"name":"bad","subnet":"10.21.0.0/24","vlan":5000}""", "vlan")]
    [InlineData("""{"name":"bad","subnet":"10.21.0.0/24","bridge":"eth0;reboot"}""", "bridge")]
    [InlineData("""{"name":"bad","subnet":"127.0.0.0/24"}""", "subnet")]
    [InlineData("""{"name":"bad","subnet":"10.21.0.0/24","policies":[null,{"name":"x"}]}""", "policies")]
    [InlineData("""{"name":"bad","subnet":"10.21.0.0/24","dns":[null]}""", "dns")]
    [InlineData("""{"name":"other","subnet":"10.21.0.0/24"}""", "name")]
    [InlineData("""{"name":"bad"}""", "subnet")]
    [InlineData("""{"name":"bad","subnet":"10.21.0.0/24","unknown":1}""", "unknown")]
    [InlineData("not json", "not JSON")]
    [InlineData("[]", "JSON object")]
    public void An_invalid_definition_is_reported_and_never_applied_while_valid_ones_are(string json, string why)
    {
        var good = Spec("good", "10.20.0.0/24");
        var cluster = new NetworkDefinitions([("good", NetworkJson.Write(good)), ("bad", Encoding.UTF8.GetBytes(json))], []);

        var plan = NetworkFollowing.Plan(Local(), cluster);

        Assert.Equal(["good"], plan.Apply.Select(f => f.Networks.Single().Name));
        var problem = Assert.Single(plan.Problems);
        Assert.Contains("network 'bad' is invalid", problem, StringComparison.Ordinal);
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_network_written_for_etcd_reads_back_as_the_same_network()
    {
        var full = Spec("full", "10.40.0.0/24") with
        {
            Nat = false,
            Dns = ["10.40.0.1", "1.1.1.1"],
            Ipv6 = Ipv6Prefix.Parse("fd00:40::/64"),
            Vlan = 40,
            DefaultIngress = PolicyAction.Deny,
            DefaultEgress = PolicyAction.Deny,
            RateLimiter = RateLimiterKind.Tc,
            Metadata = true,
            Pool = 4,
            Policies = NetworkFile.Parse("""
                networks:
                  - name: p
                    subnet: 10.41.0.0/24
                    policies:
                      - {name: web, direction: ingress, protocol: tcp, port: 80-81, source: 10.0.0.0/8, action: allow}
                      - {name: any, direction: egress, destination: 192.0.2.0/24, action: deny}
                """).Networks[0].Policies,
        };

        foreach (var spec in new[] { full, Spec("plain", "10.42.0.0/24") })
        {
            Assert.Equal(spec, NetworkJson.Read(NetworkJson.Write(spec), spec.Name).Networks.Single());
        }
    }
}

public sealed class ClusterNetworkCheckTests
{
    private static NetworkSpec Spec(string name, string subnet) => new() { Name = name, Subnet = Ipv4Network.Parse(subnet), Bridge = "br-" + name };

    private static (string, ReadOnlyMemory<byte>)[] Current(params NetworkSpec[] specs) => [.. specs.Select(s => (s.Name, (ReadOnlyMemory<byte>)NetworkJson.Write(s)))];

    [Fact]
    public void A_network_overlapping_one_the_cluster_holds_is_a_conflict_naming_its_subnet()
    {
        var clash = Assert.Throws<FirelineException>(() => ClusterNetworks.CheckAgainstCluster(Current(Spec("a", "10.50.0.0/24")), [Spec("b", "10.50.0.128/25")], []));

        Assert.Equal("conflict", clash.Code);
        Assert.Equal("subnet", clash.Field);
        Assert.Contains("network 'b'", clash.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_redefined_or_deleted_network_no_longer_clashes_and_an_unreadable_one_never_does()
    {
        var current = Current(Spec("a", "10.50.0.0/24"), Spec("c", "10.60.0.0/24"));
        ClusterNetworks.CheckAgainstCluster(current, [Spec("a", "10.51.0.0/24"), Spec("b", "10.50.0.0/24")], []);
        ClusterNetworks.CheckAgainstCluster(current, [Spec("b", "10.60.0.0/24")], ["c"]);
        ClusterNetworks.CheckAgainstCluster([("junk", System.Text.Encoding.UTF8.GetBytes("{}"))], [Spec("b", "10.60.0.0/24")], []);
    }

    [Fact]
    public void A_clash_among_networks_the_change_does_not_touch_is_not_its_to_refuse()
        => ClusterNetworks.CheckAgainstCluster(Current(Spec("a", "10.50.0.0/24"), Spec("b", "10.50.0.0/24")), [Spec("c", "10.70.0.0/24")], []);
}
