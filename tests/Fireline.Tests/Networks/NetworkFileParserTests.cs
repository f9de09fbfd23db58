using Fireline.Errors;
using Fireline.Networks;
using Fireline.Policy;

namespace Fireline.Tests.Networks;

public sealed class NetworkFileParserTests
{
    private const string DesignDocument = """
        networks:
          - name: customer-a-prod
            subnet: 10.101.0.0/16
            vlan: 101
            policies:
              - name: allow-http
                direction: ingress
                protocol: tcp
                port: 80
                source: 0.0.0.0/0
                action: allow
              - name: deny-all-else
                direction: ingress
                source: 0.0.0.0/0
                action: deny
          - name: customer-b-dev
            subnet: 10.102.0.0/16
            vlan: 102
            policies:
              - name: allow-ssh-from-office
                direction: ingress
                protocol: tcp
                port: 22
                source: 203.0.113.0/24
                action: allow
        """;

    [Fact]
    public void Reads_the_design_documents_file_as_written()
    {
        var networks = NetworkFileParser.Parse(DesignDocument);

        Assert.Equal(["customer-a-prod", "customer-b-dev"], networks.Select(n => n.Name));
        var a = networks[0];
        Assert.Equal("10.101.0.0/16", a.Subnet.ToString());
        Assert.Equal(101, a.Vlan);
        Assert.False(a.Nat); // a network tagged on the uplink is bridged to the physical network: no NAT unless asked
        Assert.True(a.Bridge.Length <= 15);
        Assert.Equal(new PolicyRule { Name = "allow-http", Direction = PolicyDirection.Ingress, Protocol = "tcp", PortFrom = 80, PortTo = 80, Source = "0.0.0.0/0", Action = PolicyAction.Allow }, a.Policies[0]);
        Assert.Equal(new PolicyRule { Name = "deny-all-else", Direction = PolicyDirection.Ingress, Source = "0.0.0.0/0", Action = PolicyAction.Deny }, a.Policies[1]);
        Assert.Equal("203.0.113.0/24", networks[1].Policies[0].Source);
    }

    [Theory]
    [InlineData("", false, false)]
    [InlineData("    nat: true\n", true, false)]
    [InlineData("    gateway: bridge\n    nat: true\n", true, false)]
    [InlineData("    gateway: outside\n", false, true)]
    public void A_vlan_network_is_not_masqueraded_unless_it_asks_and_its_gateway_may_be_outside(string extra, bool masqueraded, bool outside)
    {
        var network = Assert.Single(NetworkFileParser.Parse($"networks:\n  - name: tagged\n    subnet: 10.9.0.0/24\n    vlan: 300\n{extra}"));

        Assert.Equal((300, masqueraded, outside), (network.Vlan, network.Nat, network.GatewayOutside));
    }

    [Fact]
    public void Reads_the_documented_extensions()
    {
        var network = Assert.Single(NetworkFileParser.Parse("""
            networks:
              - name: ext
                subnet: 10.9.0.0/24
                bridge: br-ext
                nat: false
                dns: [10.9.0.1, 9.9.9.9]
                defaultIngress: deny
                defaultEgress: deny
                rateLimiter: tc
                metadata: true
                policies:
                  - name: range
                    direction: egress
                    protocol: udp
                    port: 8000-8100
                    destination: 192.0.2.7
                    action: allow
            """));

        Assert.Equal("br-ext", network.Bridge);
        Assert.False(network.Nat);
        Assert.Equal(["10.9.0.1", "9.9.9.9"], network.Dns);
        Assert.Equal(PolicyAction.Deny, network.DefaultIngress);
        Assert.Equal(PolicyAction.Deny, network.DefaultEgress);
        Assert.Equal(Fireline.State.RateLimiterKind.Tc, network.RateLimiter);
        Assert.True(network.Metadata);
        var rule = Assert.Single(network.Policies);
        Assert.Equal((8000, 8100), (rule.PortFrom, rule.PortTo));
        Assert.Equal("192.0.2.7/32", rule.Destination);
    }

    [Theory]
    [InlineData("networks: []\nextra: 1\n", "extra", "unknown key 'extra'")]
    [InlineData("nets: []\n", "nets", "unknown key")]
    [InlineData("- a\n- b\n", "file", "one YAML mapping")]
    [InlineData("networks: [\n", "file", "not valid YAML")]
    [InlineData("networks:\n  - subnet: 10.1.0.0/16\n", "networks[0].name", "'name' is required")]
    [InlineData("networks:\n  - name: '-bad'\n    subnet: 10.1.0.0/16\n", "networks[0].name", "1-32 characters")]
    [InlineData("networks:\n  - name: a\n", "networks[0].subnet", "network 'a': 'subnet' is required")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/33\n", "networks[0].subnet", "network 'a': subnet")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.1/16\n", "networks[0].subnet", "host bits")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/31\n", "networks[0].subnet", "room for no VM")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    vlan: 5000\n", "networks[0].vlan", "out of range (1-4094)")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    vlan: 7\n  - name: b\n    subnet: 10.2.0.0/16\n    vlan: 7\n", "networks[1].vlan", "vlan 7 is used by networks 'a', 'b'")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    pool: 513\n", "networks[0].pool", "out of range (0-512)")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    pool: -1\n", "networks[0].pool", "pool '-1'")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/29\n    pool: 6\n", "networks[0].pool", "more than subnet 10.1.0.0/29 has addresses for VMs (5)")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    pool: lots\n", "networks[0].pool", "")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    gateway: outside\n", "networks[0].gateway", "gateway outside needs a vlan")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    vlan: 5\n    gateway: outside\n    nat: true\n", "networks[0].nat", "nat needs the bridge as the gateway")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    vlan: 5\n    gateway: roof\n", "networks[0].gateway", "not one of bridge, outside")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    colour: red\n", "networks[0].colour", "unknown key 'colour'")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    nat: maybe\n", "networks[0].nat", "true or false")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    dns: [banana]\n", "networks[0].dns[0]", "not an IPv4 address")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    bridge: this-name-is-too-long\n", "networks[0].bridge", "not an interface name")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n  - name: a\n    subnet: 10.2.0.0/16\n", "networks[1].name", "'a' is used 2 times")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n  - name: b\n    subnet: 10.1.128.0/17\n", "networks[1].subnet", "overlaps network 'a'")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    defaultIngress: maybe\n", "networks[0].defaultIngress", "not one of allow, deny")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    ipv6: fd00::/120\n", "networks[0].ipv6", "48-96")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    ipv6: fd00:1::/64\n  - name: b\n    subnet: 10.2.0.0/16\n    ipv6: fd00:1::/48\n", "networks[1].ipv6", "overlaps network 'a'")]
    public void Reports_network_errors_with_their_field(string yaml, string field, string words)
        => AssertInvalid(yaml, field, words);

    [Theory]
    [InlineData("      - direction: ingress\n        action: allow\n", "networks[0].policies[0].name", "'name' is required")]
    [InlineData("      - name: x\n        action: allow\n", "networks[0].policies[0].direction", "'direction' is required")]
    [InlineData("      - name: x\n        direction: upward\n        action: allow\n", "networks[0].policies[0].direction", "not one of ingress, egress")]
    [InlineData("      - name: x\n        direction: ingress\n", "networks[0].policies[0].action", "'action' is required")]
    [InlineData("      - name: x\n        direction: ingress\n        action: permit\n", "networks[0].policies[0].action", "not one of allow, deny")]
    [InlineData("      - name: x\n        direction: ingress\n        protocol: sctp\n        action: allow\n", "networks[0].policies[0].protocol", "not one of tcp, udp, icmp")]
    [InlineData("      - name: x\n        direction: ingress\n        port: 80\n        action: allow\n", "networks[0].policies[0].port", "needs protocol tcp or udp")]
    [InlineData("      - name: x\n        direction: ingress\n        protocol: icmp\n        port: 80\n        action: allow\n", "networks[0].policies[0].port", "not 'icmp'")]
    [InlineData("      - name: x\n        direction: ingress\n        protocol: tcp\n        port: 0\n        action: allow\n", "networks[0].policies[0].port", "out of range")]
    [InlineData("      - name: x\n        direction: ingress\n        protocol: tcp\n        port: 70000\n        action: allow\n", "networks[0].policies[0].port", "out of range")]
    [InlineData("      - name: x\n        direction: ingress\n        protocol: tcp\n        port: 90-80\n        action: allow\n", "networks[0].policies[0].port", "ends before it starts")]
    [InlineData("      - name: x\n        direction: ingress\n        source: 10.0.0.0/40\n        action: allow\n", "networks[0].policies[0].source", "prefix length")]
    [InlineData("      - name: x\n        direction: ingress\n        source: 2001:db8::1/32\n        action: allow\n", "networks[0].policies[0].source", "has host bits set")]
    [InlineData("      - name: x\n        direction: ingress\n        action: allow\n        colour: red\n", "networks[0].policies[0].colour", "unknown key")]
    [InlineData("      - name: x\n        direction: ingress\n        action: allow\n      - name: x\n        direction: egress\n        action: deny\n", "networks[0].policies[1].name", "used by an earlier rule")]
    public void Reports_policy_errors_with_their_field_and_network(string rules, string field, string words)
    {
        var error = AssertInvalid($"networks:\n  - name: net1\n    subnet: 10.1.0.0/16\n    policies:\n{rules}", field, words);
        Assert.Contains("network 'net1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_every_problem_of_a_file_at_once_with_lines()
    {
        var error = AssertInvalid("networks:\n  - name: a\n    subnet: nope\n  - name: b\n    subnet: 10.2.0.0/16\n    vlan: 0\n", "networks[0].subnet", "2 problems");
        Assert.Contains("(line 3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("networks[1].vlan", error.Message, StringComparison.Ordinal);
    }

    private static FirelineException AssertInvalid(string yaml, string field, string words)
    {
        var error = Assert.Throws<FirelineException>(() => NetworkFileParser.Parse(yaml));
        Assert.Equal("invalid-argument", error.Code);
        Assert.Equal(field, error.Field);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        return error;
    }
}
