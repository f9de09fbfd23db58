using Fireline.Errors;
using Fireline.Host;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Networks;

/// <summary>
/// Host init's default network and a networks file go through one validator: what one refuses the other refuses,
/// each naming the field in its own terms, and neither changes anything when it refuses.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class OneValidatorTests : IDisposable
{
    private readonly EngineHost _env = new();

    [Theory]
    [InlineData("198.51.100.0/24", null, null, "subnet", "overlaps the host's own address 198.51.100.2/24 on 'uplink0'")]
    [InlineData("198.51.0.0/16", null, null, "subnet", "overlaps the host's own address 198.51.100.2/24")]
    [InlineData("127.0.0.0/16", null, null, "subnet", "127.0.0.0/8 (loopback)")]
    [InlineData("169.254.0.0/16", null, null, "subnet", "169.254.0.0/16 (link-local)")]
    [InlineData("0.0.0.0/0", null, null, "subnet", "0.0.0.0/8")]
    [InlineData("224.1.0.0/16", null, null, "subnet", "multicast")]
    [InlineData("010.100.0.0/16", null, null, "subnet", "not an IPv4 network")]
    [InlineData("0x0a.100.0.0/16", null, null, "subnet", "not an IPv4 network")]
    [InlineData("10.100.0.0/016", null, null, "subnet", "prefix length")]
    [InlineData("10.100.0.0/16", "fl0a000002", null, "bridge", "starts with 'fl'")]
    [InlineData("10.100.0.0/16", "vm-br", null, "bridge", "starts with 'vm-'")]
    [InlineData("10.100.0.0/16", "br\"x", null, "bridge", "not an interface name")]
    [InlineData("10.100.0.0/16", null, "fe80::/64", "ipv6", "fe80::/10 (link-local)")]
    [InlineData("10.100.0.0/16", null, "ff00::/48", "ipv6", "ff00::/8 (multicast)")]
    [InlineData("10.100.0.0/16", null, "::ffff:10.0.0.0/96", "ipv6", "not an IPv6 network")]
    [InlineData("10.100.0.0/16", null, "fd00::%uplink0/64", "ipv6", "not an IPv6 network")]
    public void Host_init_and_network_apply_refuse_the_same_network_naming_its_field(string subnet, string? bridge, string? ipv6, string field, string words)
    {
        var before = Snapshot();

        var init = Assert.Throws<FirelineException>(() => _env.Engine.InitHost(new HostInitRequest
        {
            Subnet = subnet,
            Bridge = bridge ?? HostInitRequest.DefaultBridge,
            Ipv6Prefix = ipv6,
        }));

        Assert.Equal(ErrorKind.InvalidInput, init.Kind);
        Assert.Equal(field == "ipv6" ? "ipv6Prefix" : field, init.Field);
        Assert.Contains(words, init.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
        Assert.False(_env.Engine.GetHostStatus().Initialized);

        _env.Engine.InitHost(new HostInitRequest { Subnet = "10.99.0.0/16" });
        before = Snapshot();
        var file = $"networks:\n  - name: a\n    subnet: \"{subnet}\"\n" + (bridge is null ? "" : $"    bridge: '{bridge}'\n") + (ipv6 is null ? "" : $"    ipv6: \"{ipv6}\"\n");

        var apply = Assert.Throws<FirelineException>(() => _env.Engine.ApplyNetworks(file, dryRun: false, prune: false));

        Assert.Equal(ErrorKind.InvalidInput, apply.Kind);
        Assert.Equal($"networks[0].{field}", apply.Field);
        Assert.Contains(words, apply.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Host_init_refuses_a_subnet_or_bridge_another_network_holds_as_apply_does()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _env.Engine.ApplyNetworks("networks:\n  - name: a\n    subnet: 10.50.0.0/16\n    bridge: br-a\n", dryRun: false, prune: false);
        _env.Engine.DeleteNetwork("default");
        var before = Snapshot();

        var subnet = Assert.Throws<FirelineException>(() => _env.Engine.InitHost(new HostInitRequest { Subnet = "10.50.128.0/17" }));
        var bridge = Assert.Throws<FirelineException>(() => _env.Engine.InitHost(new HostInitRequest { Bridge = "br-a" }));

        Assert.Equal(("subnet", ErrorKind.Conflict), (subnet.Field, subnet.Kind));
        Assert.Contains("clashes with network 'a'", subnet.Message, StringComparison.Ordinal);
        Assert.Equal(("bridge", ErrorKind.Conflict), (bridge.Field, bridge.Kind));
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void An_uplink_name_outside_the_safe_alphabet_is_refused_before_it_is_looked_up()
    {
        var error = Assert.Throws<FirelineException>(() => _env.Engine.InitHost(new HostInitRequest { Uplink = "up\"link\n0" }));

        Assert.Equal("uplink", error.Field);
        Assert.Contains("'up\"link\\n0' is not an interface name", error.Message, StringComparison.Ordinal);
        Assert.False(_env.Engine.GetHostStatus().Initialized);
    }

    public void Dispose() => _env.Dispose();

    private string Snapshot()
        => Ip.LinkState(_env.Host.HostNamespaceName) + Ip.AddressState(_env.Host.HostNamespaceName) + _env.Host.InHost("nft", "-a", "list", "ruleset") +
           string.Join(",", _env.Engine.ListNetworks().Select(n => $"{n.Name} {n.Subnet} {n.Bridge} {n.Ipv6}"));
}
