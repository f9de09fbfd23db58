using Fireline.Addressing;
using Fireline.Cluster;
using Fireline.Policy;
using Fireline.State;

namespace Fireline.Tests.Cluster;

public sealed class NetworkFollowingTests
{
    private static NetworkSpec Spec(string name, string subnet) => new() { Name = name, Subnet = Ipv4Network.Parse(subnet), Bridge = "br-" + name };

    private static Dictionary<string, NetworkSpec> Local(params NetworkSpec[] specs) => specs.ToDictionary(s => s.Name, StringComparer.Ordinal);

    [Fact]
    public void A_definition_the_node_lacks_or_holds_otherwise_is_applied_and_an_equal_one_is_not()
    {
        var same = Spec("same", "10.20.0.0/24");
        var changed = Spec("changed", "10.21.0.0/24") with { DefaultIngress = PolicyAction.Deny };
        var plan = NetworkFollowing.Plan(Local(same, Spec("changed", "10.21.0.0/24")), new([same, changed, Spec("new", "10.22.0.0/24")], [], []));

        Assert.Equal(["changed", "new"], plan.Apply.Select(f => f.Networks.Single().Name).Order());
        Assert.Equal(PolicyAction.Deny, plan.Apply.Single(f => f.Networks[0].Name == "changed").Networks[0].DefaultIngress);
        Assert.Empty(plan.Remove);
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void Nothing_to_do_when_the_node_holds_every_definition()
    {
        var spec = Spec("a", "10.20.0.0/24");
        Assert.False(NetworkFollowing.Plan(Local(spec, Spec("own", "10.30.0.0/24")), new([spec], ["gone"], [])).Changes);
    }

    [Fact]
    public void Only_networks_the_cluster_deleted_are_removed_never_the_nodes_own()
    {
        var plan = NetworkFollowing.Plan(Local(Spec("deleted", "10.20.0.0/24"), Spec("own", "10.30.0.0/24")), new([], ["deleted", "never-here"], []));

        Assert.Equal(["deleted"], plan.Remove);
        Assert.Empty(plan.Apply);
    }

    [Fact]
    public void A_name_defined_again_is_not_removed_even_if_a_stale_tombstone_is_read()
    {
        var spec = Spec("back", "10.20.0.0/24");
        Assert.Empty(NetworkFollowing.Plan(Local(spec), new([spec], ["back"], [])).Remove);
    }

    [Theory]
    [InlineData("vlan")]
    [InlineData("bridge")]
    [InlineData("subnet")]
    [InlineData("pool")]
    public void An_invalid_definition_is_reported_and_never_applied_while_valid_ones_are(string field)
    {
        var good = Spec("good", "10.20.0.0/24");
        var bad = field switch
        {
            "vlan" => Spec("bad", "10.21.0.0/24") with { Vlan = 5000 },
            "bridge" => Spec("bad", "10.21.0.0/24") with { Bridge = "eth0;reboot" },
            "subnet" => Spec("bad", "127.0.0.0/24"),
            _ => Spec("bad", "10.21.0.0/24") with { Pool = 100_000 },
        };

        var plan = NetworkFollowing.Plan(Local(), new([good, bad], [], ["a skipped key"]));

        Assert.Equal(["good"], plan.Apply.Select(f => f.Networks.Single().Name));
        Assert.Equal("a skipped key", plan.Problems[0]);
        Assert.Contains(plan.Problems, p => p.Contains("network 'bad' is invalid", StringComparison.Ordinal) && p.Contains(field, StringComparison.Ordinal));
    }
}
