using Fireline.Errors;
using Fireline.Networks;

namespace Fireline.Tests.Networks;

/// <summary>What a network may say, as any caller meets it: through a networks file (the API's bodies become one).</summary>
public sealed class NetworkValidationTests
{
    [Theory]
    [InlineData("127.0.0.0/16", "127.0.0.0/8 (loopback)")]
    [InlineData("0.0.0.0/0", "0.0.0.0/8")]
    [InlineData("169.254.0.0/16", "link-local")]
    [InlineData("224.0.0.0/24", "multicast")]
    [InlineData("240.0.0.0/24", "240.0.0.0/4")]
    [InlineData("010.202.0.0/16", "not an IPv4 network")]
    [InlineData("0x0a.0.0.0/8", "not an IPv4 network")]
    [InlineData("10.202/16", "not an IPv4 network")]
    [InlineData("10.202.0.0/016", "prefix length")]
    public void Reserved_and_ambiguous_subnets_are_refused(string subnet, string words)
        => AssertInvalid(Network("", subnet), "networks[0].subnet", words);

    [Theory]
    [InlineData("fe80::/64", "fe80::/10 (link-local)")]
    [InlineData("ff00::/48", "ff00::/8 (multicast)")]
    [InlineData("::/64", "::/8")]
    [InlineData("::ffff:0:0/96", "::/8")]
    [InlineData("\"::ffff:10.0.0.0/96\"", "not an IPv6 network")]
    [InlineData("\"fd00::%eth0/64\"", "not an IPv6 network")]
    public void Reserved_and_ambiguous_ipv6_prefixes_are_refused(string prefix, string words)
        => AssertInvalid(Network($"ipv6: {prefix}"), "networks[0].ipv6", words);

    [Fact]
    public void Addresses_are_stored_in_canonical_form()
    {
        var network = Assert.Single(NetworkFileParser.Parse(Network("""
            ipv6: "FD00:0101:0000::/64"
            dns: [9.9.9.9, 127.0.0.53]
            policies:
              - { name: a, direction: ingress, source: "2001:0DB8::/32", action: allow }
              - { name: b, direction: egress, destination: "2001:db8::0001", action: allow }
              - { name: c, direction: egress, destination: 192.0.2.7, action: deny }
            """)));

        Assert.Equal("fd00:101::/64", network.Ipv6.ToString());
        Assert.Equal(["9.9.9.9", "127.0.0.53"], network.Dns);
        Assert.Equal(["2001:db8::/32", "2001:db8::1/128", "192.0.2.7/32"], network.Policies.Select(p => p.Source ?? p.Destination));
    }

    [Theory]
    [InlineData("[010.1.1.1]", "networks[0].dns[0]", "not an IPv4 address")]
    [InlineData("[0x01.1.1.1]", "networks[0].dns[0]", "not an IPv4 address")]
    [InlineData("[9.9.9.9, 1.1]", "networks[0].dns[1]", "not an IPv4 address")]
    [InlineData("[\"2001:db8::1\"]", "networks[0].dns[0]", "not an IPv4 address")]
    [InlineData("[\"9.9.9.9 quiet\"]", "networks[0].dns[0]", "not an IPv4 address")]
    [InlineData("[\"9.9.9.9:8.8.8.8\"]", "networks[0].dns[0]", "not an IPv4 address")]
    [InlineData("[0.0.0.0]", "networks[0].dns[0]", "no host's address")]
    [InlineData("[224.0.0.251]", "networks[0].dns[0]", "no host's address")]
    [InlineData("[255.255.255.255]", "networks[0].dns[0]", "no host's address")]
    [InlineData("[10.9.255.255]", "networks[0].dns[0]", "no host's address")] // the network's broadcast
    [InlineData("[10.9.0.0]", "networks[0].dns[0]", "no host's address")]
    [InlineData("[9.9.9.9, 9.9.9.9]", "networks[0].dns[1]", "listed twice")]
    [InlineData("[1.1.1.1, 8.8.8.8, 9.9.9.9]", "networks[0].dns", "at most 2")]
    public void Dns_servers_are_unicast_ipv4_addresses_in_dotted_decimal_two_at_most(string dns, string field, string words)
        => AssertInvalid(Network($"dns: {dns}"), field, words);

    [Theory]
    [InlineData("\"a\\\"b\"")]
    [InlineData("\"a\\nb\"")]
    [InlineData("\"a;b\"")]
    [InlineData("\"a{b}\"")]
    [InlineData("\"a b\"")]
    [InlineData("\"a#b\"")]
    [InlineData("\"a\\0b\"")]
    [InlineData("\"é\"")]
    [InlineData("\"-a\"")]
    [InlineData("\".hidden\"")]
    [InlineData("\"include \\\"/etc/shadow\\\"\"")]
    public void Policy_names_are_refused_outside_the_safe_alphabet(string name)
        => AssertInvalid(Network($"policies:\n  - {{ name: {name}, direction: ingress, action: allow }}"), "networks[0].policies[0].name", "[A-Za-z0-9_.-]");

    [Fact]
    public void Names_have_their_lengths()
    {
        var longest = new string('p', NetworkNames.MaxPolicyLength);
        Assert.Equal(longest, Assert.Single(Assert.Single(NetworkFileParser.Parse(Network($"policies:\n  - {{ name: {longest}, direction: ingress, action: allow }}"))).Policies).Name);
        AssertInvalid(Network($"policies:\n  - {{ name: {longest}p, direction: ingress, action: allow }}"), "networks[0].policies[0].name", "1-63 characters");
        var network = new string('n', NetworkNames.MaxLength);
        Assert.Equal(network, Assert.Single(NetworkFileParser.Parse($"networks:\n  - name: {network}\n    subnet: 10.9.0.0/16\n")).Name);
        AssertInvalid($"networks:\n  - name: {network}n\n    subnet: 10.9.0.0/16\n", "networks[0].name", "1-32 characters");
    }

    [Theory]
    [InlineData("fl0a000002", "starts with 'fl'")]
    [InlineData("flannel", "starts with 'fl'")]
    [InlineData("vm-bridge", "starts with 'vm-'")]
    [InlineData("\"br x\"", "not an interface name")]
    [InlineData("\"br;x\"", "not an interface name")]
    [InlineData("\"br\\\"x\"", "not an interface name")]
    [InlineData("\"br/x\"", "not an interface name")]
    [InlineData("\"..\"", "not an interface name")]
    [InlineData("br-0123456789abc", "not an interface name")]
    public void Bridge_names_are_safe_and_never_firelines_own(string bridge, string words)
        => AssertInvalid(Network($"bridge: {bridge}"), "networks[0].bridge", words);

    [Fact]
    public void An_error_shows_a_refused_value_on_one_line_and_cut()
    {
        var error = AssertInvalid(Network($"policies:\n  - {{ name: \"x\\ny\\0{new string('z', 1000)}\", direction: ingress, action: allow }}"),
            "networks[0].policies[0].name", "'x\\ny\\0zzz");

        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\0', error.Message);
        Assert.Contains("(1,004 characters)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_per_network_are_capped()
    {
        var rules = string.Concat(Enumerable.Range(0, NetworkValidator.MaxPolicies + 1).Select(i => $"  - {{ name: r{i}, direction: ingress, action: allow }}\n"));

        AssertInvalid(Network("policies:\n" + rules), "networks[0].policies", "at most 256");
        Assert.Equal(NetworkValidator.MaxPolicies, Assert.Single(NetworkFileParser.Parse(Network("policies:\n" + rules[..rules.LastIndexOf("  - ", StringComparison.Ordinal)]))).Policies.Count);
    }

    [Fact]
    public void A_problem_found_in_a_value_names_the_line_it_was_read_from()
    {
        var error = AssertInvalid("networks:\n  - name: a\n    subnet: 10.1.0.0/16\n    dns:\n      - 9.9.9.9\n      - 010.0.0.1\n", "networks[0].dns[1]", "(line 6)");

        Assert.Contains("network 'a'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>One network with <paramref name="lines"/> added to it (each indented as a key of the network).</summary>
    private static string Network(string lines, string subnet = "10.9.0.0/16")
        => $"networks:\n  - name: net1\n    subnet: \"{subnet}\"\n" + string.Concat(lines.Split('\n').Select(l => "    " + l + "\n"));

    private static FirelineException AssertInvalid(string yaml, string field, string words)
    {
        var error = Assert.Throws<FirelineException>(() => NetworkFileParser.Parse(yaml));
        Assert.Equal("invalid-argument", error.Code);
        Assert.Equal(field, error.Field);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        return error;
    }
}
