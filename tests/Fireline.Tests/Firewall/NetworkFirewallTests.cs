using Fireline.Addressing;
using Fireline.Firewall;
using Fireline.Linux.Nftables;
using Fireline.Policy;
using Fireline.State;

namespace Fireline.Tests.Firewall;

/// <summary>A network's chains as rules (nft's text of them), from its spec alone.</summary>
public sealed class NetworkFirewallTests
{
    private static readonly HostState Host = new("uplink0", Nat: true);

    private static NetworkSpec Network(string name, string subnet, params PolicyRule[] rules)
        => new() { Name = name, Subnet = Ipv4Network.Parse(subnet), Bridge = "br-" + name, Policies = rules };

    /// <summary>The first rules of <c>in-N</c>: a VM with rules of its own is sent to its chain (VmFirewallEntryTests).</summary>
    private const int VmDispatch = 2;

    private static List<string> Chain(NetworkFirewall network, string chain)
        => [.. network.Rules.Where(r => r.Chain.Name == chain).Select(r => r.ToString())];

    [Fact]
    public void Policies_compile_in_order_ingress_accepting_egress_returning_then_the_defaults()
    {
        var network = new NetworkFirewall(Network("a", "10.1.0.0/16",
            new PolicyRule { Name = "web", Direction = PolicyDirection.Ingress, Protocol = "tcp", PortFrom = 80, PortTo = 80, Source = "0.0.0.0/0", Action = PolicyAction.Allow },
            new PolicyRule { Name = "office", Direction = PolicyDirection.Ingress, Protocol = "tcp", PortFrom = 22, PortTo = 22, Source = "203.0.113.0/24", Action = PolicyAction.Allow },
            new PolicyRule { Name = "rest", Direction = PolicyDirection.Ingress, Action = PolicyAction.Deny },
            new PolicyRule { Name = "dns-out", Direction = PolicyDirection.Egress, Protocol = "udp", PortFrom = 53, PortTo = 53, Destination = "9.9.9.9/32", Action = PolicyAction.Allow },
            new PolicyRule { Name = "range", Direction = PolicyDirection.Egress, Protocol = "tcp", PortFrom = 8000, PortTo = 8100, Action = PolicyAction.Deny }) with { DefaultEgress = PolicyAction.Deny }, Host);

        Assert.Equal(
            [
                "tcp dport 80 accept comment \"web\"",
                "ip saddr 203.0.113.0/24 tcp dport 22 accept comment \"office\"",
                "drop comment \"rest\"",
                "accept comment \"default ingress\"",
            ], Chain(network, "in-a").Skip(VmDispatch));
        Assert.Equal(
            [
                "ip daddr 9.9.9.9 udp dport 53 return comment \"dns-out\"",
                "tcp dport 8000-8100 drop comment \"range\"",
                "drop comment \"default egress\"",
            ], Chain(network, "out-a"));
    }

    [Fact]
    public void Where_a_packet_goes_is_decided_by_interface_and_every_chain_ends_in_a_verdict()
    {
        var network = new NetworkFirewall(Network("a", "10.1.0.0/24") with { DefaultIngress = PolicyAction.Deny }, Host);

        Assert.Equal(
            [
                "ct state established,related accept comment \"replies\"",
                "ct state invalid drop comment \"invalid\"",
                "ip saddr vmap @vm_out4 comment \"the VM's own egress rules\"",
                "ip6 saddr vmap @vm_out6 comment \"the VM's own egress rules\"",
                "oifname \"br-a\" jump intra-a comment \"to its own network\"",
                "oifname @bridges drop comment \"isolation\"",
                "oifname @uplink jump egress-a comment \"out of the uplink\"",
                "jump elsewhere-a comment \"to the host's other networks\"",
            ], Chain(network, "from-a"));
        Assert.Equal(["jump out-a comment \"sender's egress policy\"", "jump in-a comment \"receiver's ingress policy\""], Chain(network, "intra-a"));
        Assert.Equal(
            [
                "ct state established,related accept comment \"replies\"",
                "ct state invalid drop comment \"invalid\"",
                "iifname @uplink ct status dnat jump in-a comment \"port forward\"",
                "drop comment \"no way in but a port forward\"",
            ], Chain(network, "to-a"));
        Assert.Equal(
            [
                "ct state established,related accept comment \"replies\"",
                "ip daddr 10.1.0.1 icmp type echo-request accept comment \"ping the gateway\"",
                "drop comment \"host protection\"",
            ], Chain(network, "host-a"));
        Assert.Equal(
            [
                "ip daddr vmap @vm_in4 comment \"the VM's own ingress rules\"",
                "ip6 daddr vmap @vm_in6 comment \"the VM's own ingress rules\"",
                "drop comment \"default ingress\"",
            ], Chain(network, "in-a"));
        Assert.Equal(
            [
                "oifname \"br-a\" jump in-a comment \"receiver's ingress policy\"",
                "oifname @bridges drop comment \"isolation\"",
                "oifname @uplink ip daddr 169.254.0.0/16 drop comment \"link-local\"",
                "oifname @uplink accept comment \"out of the uplink\"",
                "drop comment \"host networks\"",
            ], Chain(network, "allowed-a"));
        Assert.Equal("accept comment \"a rule naming its destination\"", Chain(network, "allowedto-a")[^1]);
        Assert.DoesNotContain(Chain(network, "allowedll-a"), r => r.Contains("169.254", StringComparison.Ordinal));
        Assert.Empty(Chain(network, "out-a")); // default allow: an egress-only packet returns and goes on
    }

    [Fact]
    public void A_network_of_several_segments_counts_every_segment_bridge_as_its_own_in_constant_rules()
    {
        var network = new NetworkFirewall(Network("a", "10.1.0.0/22"), Host);
        var segments = NetworkSegments.Prefix("br-a") + "*";

        Assert.Equal(["oifname \"br-a\" jump intra-a comment \"to its own network\"", $"oifname \"{segments}\" jump intra-a comment \"to its own network\""],
            Chain(network, "from-a").Where(r => r.Contains("intra", StringComparison.Ordinal)));
        Assert.Equal(2, Chain(network, "allowed-a").Count(r => r.Contains("jump in-a", StringComparison.Ordinal)));
        foreach (var map in new[] { FirewallTables.Bridges, FirewallTables.FromNetwork, FirewallTables.ToNetwork, FirewallTables.HostFromNetwork })
        {
            Assert.Equal(4, network.Elements.Single(e => e.Set == map).Elements.Count);
        }

        // The rules do not depend on how many segments: a /16 has the same, only more elements.
        Assert.Equal(network.Rules.Select(r => r.ToString()), new NetworkFirewall(Network("a", "10.1.0.0/16"), Host).Rules.Select(r => r.ToString()));
    }

    [Fact]
    public void Link_local_and_the_hosts_other_networks_are_reached_only_through_rules_that_name_them()
    {
        var network = new NetworkFirewall(Network("a", "10.1.0.0/16",
            new PolicyRule { Name = "everything", Direction = PolicyDirection.Egress, Action = PolicyAction.Allow },
            new PolicyRule { Name = "metadata", Direction = PolicyDirection.Egress, Protocol = "tcp", PortFrom = 80, PortTo = 80, Destination = "169.254.169.254/32", Action = PolicyAction.Allow },
            new PolicyRule { Name = "lan", Direction = PolicyDirection.Egress, Destination = "10.250.0.0/24", Action = PolicyAction.Allow }), Host);

        Assert.Equal(
            [
                "ip daddr 169.254.169.254 tcp dport 80 accept comment \"metadata\"",
                "ip daddr 169.254.0.0/16 drop comment \"link-local\"",
                "jump out-a comment \"egress policy\"",
                "accept comment \"allowed\"",
            ], Chain(network, "egress-a"));
        Assert.Equal(
            [
                "ip daddr 169.254.169.254 tcp dport 80 accept comment \"metadata\"",
                "ip daddr 10.250.0.0/24 accept comment \"lan\"",
                "drop comment \"host networks\"",
            ], Chain(network, "elsewhere-a"));
    }

    [Fact]
    public void Icmp_means_both_families_unless_an_address_names_one_and_mixed_families_match_nothing()
    {
        var network = new NetworkFirewall(Network("a", "10.1.0.0/16",
            new PolicyRule { Name = "ping", Direction = PolicyDirection.Ingress, Protocol = "icmp", Action = PolicyAction.Allow },
            new PolicyRule { Name = "ping6", Direction = PolicyDirection.Ingress, Protocol = "icmp", Source = "2001:db8::/32", Action = PolicyAction.Allow },
            new PolicyRule { Name = "mixed", Direction = PolicyDirection.Ingress, Source = "10.0.0.0/8", Destination = "2001:db8::/32", Action = PolicyAction.Allow }), Host);

        Assert.Equal(
            [
                "meta l4proto icmp accept comment \"ping\"",
                "meta l4proto icmpv6 accept comment \"ping\"",
                "ip6 saddr 2001:db8::/32 meta l4proto icmpv6 accept comment \"ping6\"",
                "accept comment \"default ingress\"",
            ], Chain(network, "in-a").Skip(VmDispatch));
    }

    [Fact]
    public void A_dual_stack_network_lets_neighbour_discovery_through_and_hooks_in_its_prefix()
    {
        var network = new NetworkFirewall(Network("a", "10.1.0.0/16") with { Ipv6 = Ipv6Prefix.Parse("fd00:1::/64"), Dns = ["10.1.0.1"] }, Host);

        Assert.Contains("oifname \"br-a\" icmpv6 type nd-neighbor-solicit accept comment \"neighbour discovery\"", Chain(network, "from-a"));
        Assert.Contains("ip6 daddr fd00:1::1 icmpv6 type echo-request accept comment \"ping the gateway\"", Chain(network, "host-a"));
        Assert.Contains("ip daddr 10.1.0.1 udp dport 53 accept comment \"dns\"", Chain(network, "host-a"));
        Assert.Equal(["subnets6", "nat6"], network.Elements.Select(e => e.Set.Name).Where(n => n.EndsWith('6')));
    }

    [Fact]
    public void Nat_elements_come_only_from_a_host_and_a_network_that_both_want_nat()
    {
        Assert.Contains(new NetworkFirewall(Network("a", "10.1.0.0/16"), Host).Elements, e => e.Set == FirewallTables.Nat4);
        Assert.DoesNotContain(new NetworkFirewall(Network("a", "10.1.0.0/16") with { Nat = false }, Host).Elements, e => e.Set == FirewallTables.Nat4);
        Assert.DoesNotContain(new NetworkFirewall(Network("a", "10.1.0.0/16"), Host with { Nat = false }).Elements, e => e.Set == FirewallTables.Nat4);
    }

    [Fact]
    public void A_network_compiles_to_the_same_rules_whatever_other_networks_exist()
    {
        // Nothing of one network is written into another's chains: the ruleset grows linearly with networks.
        var alone = new NetworkFirewall(Network("a", "10.1.0.0/16"), Host).Rules.Select(r => r.Digest);
        var digests = Enumerable.Range(0, 50).Select(i => new NetworkFirewall(Network($"n{i}", $"10.{i + 2}.0.0/16"), Host)).Append(new NetworkFirewall(Network("a", "10.1.0.0/16"), Host))
            .Last().Rules.Select(r => r.Digest);

        Assert.Equal(alone, digests);
        Assert.All(FrameRules.All, rule => Assert.DoesNotContain("10.", rule.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_jump_names_a_chain_of_its_own_network()
    {
        var network = new NetworkFirewall(Network("a", "10.1.0.0/16"), Host);
        var names = network.Chains.Select(c => c.Name).ToHashSet();

        var jumps = network.Rules.SelectMany(r => r.Clauses).OfType<Fireline.Linux.Nftables.Clauses.VerdictStatement>()
            .Where(v => v.Verdict.Code == NftVerdictCode.Jump).Select(v => v.Verdict.Chain!);

        Assert.All(jumps, chain => Assert.Contains(chain, names));
        Assert.All(network.Elements.SelectMany(e => e.Elements).Where(e => e.Verdict is not null), e => Assert.Contains(e.Verdict!.Value.Chain!, names));
    }
}
