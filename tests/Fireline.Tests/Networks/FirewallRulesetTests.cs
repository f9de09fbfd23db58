using Fireline.Networks;
using Fireline.Policy;
using Fireline.State;

namespace Fireline.Tests.Networks;

public sealed class FirewallRulesetTests
{
    private static readonly HostState Host = new("uplink0", Nat: true);

    private static NetworkSpec Network(string name, string subnet, params PolicyRule[] rules)
        => new() { Name = name, Subnet = subnet, Bridge = "br-" + name, Policies = rules };

    [Fact]
    public void Rules_compile_in_order_with_ingress_accepting_and_egress_returning_to_the_receivers_policy()
    {
        var network = Network("a", "10.1.0.0/16",
            new PolicyRule { Name = "web", Direction = PolicyDirection.Ingress, Protocol = "tcp", PortFrom = 80, PortTo = 80, Source = "0.0.0.0/0", Action = PolicyAction.Allow },
            new PolicyRule { Name = "office", Direction = PolicyDirection.Ingress, Protocol = "tcp", PortFrom = 22, PortTo = 22, Source = "203.0.113.0/24", Action = PolicyAction.Allow },
            new PolicyRule { Name = "rest", Direction = PolicyDirection.Ingress, Action = PolicyAction.Deny },
            new PolicyRule { Name = "dns-out", Direction = PolicyDirection.Egress, Protocol = "udp", PortFrom = 53, PortTo = 53, Destination = "9.9.9.9/32", Action = PolicyAction.Allow },
            new PolicyRule { Name = "ping-out", Direction = PolicyDirection.Egress, Protocol = "icmp", Action = PolicyAction.Deny });

        var text = FirewallRuleset.Structure(Host, [network]);

        var inChain = Between(text, "chain in-a {", "\n\t}");
        Assert.Equal(
            [
                "ip saddr { 10.1.0.0/16 } ip saddr != 10.1.0.0/16 drop comment \"isolation\"",
                "tcp dport 80 accept comment \"web\"",
                "ip saddr 203.0.113.0/24 tcp dport 22 accept comment \"office\"",
                "drop comment \"rest\"",
                "accept comment \"default ingress\"",
            ], Lines(inChain));
        Assert.Equal(
            [
                "ip daddr { 10.1.0.0/16 } ip daddr != 10.1.0.0/16 drop comment \"isolation\"",
                "ip daddr 9.9.9.9/32 udp dport 53 return comment \"dns-out\"",
                "meta l4proto icmp drop comment \"ping-out\"",
            ], Lines(Between(text, "chain out-a {", "\n\t}")));
    }

    [Fact]
    public void Defaults_deny_when_asked_and_port_ranges_compile_as_ranges()
    {
        var network = Network("b", "10.2.0.0/24",
            new PolicyRule { Name = "range", Direction = PolicyDirection.Ingress, Protocol = "udp", PortFrom = 8000, PortTo = 8100, Action = PolicyAction.Allow })
            with { DefaultIngress = PolicyAction.Deny, DefaultEgress = PolicyAction.Deny };

        var text = FirewallRuleset.Structure(Host, [network]);

        Assert.Contains("udp dport 8000-8100 accept comment \"range\"", text, StringComparison.Ordinal);
        Assert.Contains("drop comment \"default ingress\"", text, StringComparison.Ordinal);
        Assert.Contains("drop comment \"default egress\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_network_is_isolated_from_every_other_and_masqueraded_when_nat_is_on()
    {
        var text = FirewallRuleset.Structure(Host, [Network("a", "10.1.0.0/16"), Network("b", "10.2.0.0/16") with { Nat = false }]);

        Assert.Contains("ip saddr vmap { 10.1.0.0/16 : jump out-a, 10.2.0.0/16 : jump out-b }", text, StringComparison.Ordinal);
        Assert.Contains("ip daddr vmap { 10.1.0.0/16 : jump in-a, 10.2.0.0/16 : jump in-b }", text, StringComparison.Ordinal);
        Assert.Contains("ip saddr { 10.1.0.0/16, 10.2.0.0/16 } ip saddr != 10.2.0.0/16 drop", text, StringComparison.Ordinal);
        Assert.Contains("oifname \"uplink0\" ip saddr { 10.1.0.0/16 } masquerade", text, StringComparison.Ordinal);
        Assert.Contains("ip daddr 10.1.0.1 icmp type echo-request accept", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vm_is_two_set_elements_and_a_forward_one_map_element()
    {
        var vm = new VmFirewallEntry("fl0a010002", "06:00:0a:01:00:02", "10.1.0.2");
        Assert.Equal(
            "add element bridge fireline vm_macs { \"fl0a010002\" . 06:00:0a:01:00:02 }\n" +
            "add element bridge fireline vm_ipv4 { \"fl0a010002\" . 06:00:0a:01:00:02 . 10.1.0.2 }\n", FirewallRuleset.AddVm(vm));
        Assert.StartsWith("delete element bridge fireline vm_macs", FirewallRuleset.DeleteVm(vm), StringComparison.Ordinal);
        var forward = new PortForward { VmId = "a", Protocol = "tcp", HostPort = 8080, VmPort = 80, VmAddress = "10.1.0.2" };
        Assert.Equal("add element inet fireline port_forwards { tcp . 8080 : 10.1.0.2 . 80 }\n", FirewallRuleset.AddForward(forward));
        Assert.Equal("delete element inet fireline port_forwards { tcp . 8080 }\n", FirewallRuleset.DeleteForward(forward));
    }

    [Fact]
    public void A_dual_stack_network_is_dispatched_isolated_masqueraded_and_anti_spoofed_for_ipv6_too()
    {
        var text = FirewallRuleset.Structure(Host, [Network("a", "10.1.0.0/16") with { Ipv6 = "fd00:1::/64" }, Network("b", "10.2.0.0/16")]);

        Assert.Contains("ip6 saddr vmap { fd00:1::/64 : jump out-a }", text, StringComparison.Ordinal);
        Assert.Contains("ip6 daddr { fd00:1::/64 } ip6 daddr != fd00:1::/64 drop comment \"isolation\"", text, StringComparison.Ordinal);
        Assert.Contains("oifname \"uplink0\" ip6 saddr { fd00:1::/64 } masquerade", text, StringComparison.Ordinal);
        Assert.Contains("ip6 daddr fd00:1::1 icmpv6 type echo-request accept", text, StringComparison.Ordinal);
        Assert.Contains("ether type ip6 icmpv6 type nd-router-advert drop", text, StringComparison.Ordinal);
        Assert.Contains("icmpv6 type nd-neighbor-advert iifname . ether saddr . @th,64,128 != @vm_nd6 drop", text, StringComparison.Ordinal);

        var vm = new VmFirewallEntry("fl0a010002", "06:00:0a:01:00:02", "10.1.0.2") { Ipv6 = [System.Net.IPAddress.Parse("fd00:1::a01:2")] };
        Assert.Contains("add element bridge fireline vm_ipv6 { \"fl0a010002\" . 06:00:0a:01:00:02 . fd00:1::a01:2 }", FirewallRuleset.AddVm(vm), StringComparison.Ordinal);
        Assert.Contains("add element bridge fireline vm_nd6 { \"fl0a010002\" . 06:00:0a:01:00:02 . 0xfd000001000000000000000000000a01 }".Replace("0000000000000a01", "000000000a010002", StringComparison.Ordinal),
            FirewallRuleset.AddVm(vm), StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_with_ipv6_cidrs_match_ipv6_only()
    {
        var text = FirewallRuleset.Structure(Host, [Network("a", "10.1.0.0/16",
            new PolicyRule { Name = "v6-office", Direction = PolicyDirection.Ingress, Protocol = "tcp", PortFrom = 22, PortTo = 22, Source = "2001:db8::/32", Action = PolicyAction.Allow })]);

        Assert.Contains("ip6 saddr 2001:db8::/32 tcp dport 22 accept comment \"v6-office\"", text, StringComparison.Ordinal);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static List<string> Lines(string text) => [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
}
