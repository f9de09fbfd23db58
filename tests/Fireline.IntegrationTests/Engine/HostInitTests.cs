using Fireline.Errors;
using Fireline.Host;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Engine;

[Trait("Category", Categories.Integration)]
public sealed class HostInitTests : IDisposable
{
    private readonly EngineHost _env = new();

    private string Ns => _env.Host.HostNamespaceName;

    [Fact]
    public void Sets_up_forwarding_the_bridge_with_its_gateway_and_nat_in_the_test_host()
    {
        var rootForwarding = File.ReadAllText("/proc/sys/net/ipv4/ip_forward");
        // A new namespace starts with the machine's IPv4 settings: off first, so that the init is what turns it on.
        _env.Host.InHost("sysctl", "-qw", "net.ipv4.ip_forward=0");

        var status = _env.Engine.InitHost(new HostInitRequest());

        Assert.Equal(TestHost.UplinkName, status.Uplink); // found through the default route
        Assert.Equal("1", _env.Host.InHost("cat", "/proc/sys/net/ipv4/ip_forward").Trim());
        Assert.Equal(rootForwarding, File.ReadAllText("/proc/sys/net/ipv4/ip_forward"));
        var bridge = Ip.Link(Ns, "br-vms")!.Value;
        Assert.Equal("bridge", bridge.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Contains("UP", bridge.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var address = Assert.Single(Ip.AddressesOf(Ns, "br-vms"), a => a.GetProperty("family").GetString() == "inet");
        Assert.Equal("10.100.0.1", address.GetProperty("local").GetString());
        Assert.Equal(16, address.GetProperty("prefixlen").GetInt32());
        // Masqueraded: the subnet is in the NAT set, the uplink in the uplink set (the rule joins them).
        Assert.Equal(["10.100.0.0/16"], Nft.SetElements(Ns, "inet", "fireline", "nat4"));
        Assert.Equal(["uplink0"], Nft.SetElements(Ns, "inet", "fireline", "uplink"));
        Assert.True(status.Initialized && status.Forwarding && status.FirewallTable);
        Assert.Equal(65_533, Assert.Single(status.Networks).Capacity);
    }

    [Fact]
    public void A_second_init_changes_nothing()
    {
        _env.Engine.InitHost(new HostInitRequest());
        var links = Ip.LinkState(Ns);
        var addresses = Ip.AddressState(Ns);
        var ruleset = _env.Host.InHost("nft", "-a", "list", "ruleset");

        _env.Reopen().InitHost(new HostInitRequest());

        Assert.Equal(links, Ip.LinkState(Ns));
        Assert.Equal(addresses, Ip.AddressState(Ns));
        Assert.Equal(ruleset, _env.Host.InHost("nft", "-a", "list", "ruleset")); // same handles: not even rewritten
    }

    [Fact]
    public void No_nat_leaves_the_masquerade_rule_out()
    {
        _env.Engine.InitHost(new HostInitRequest { Nat = false });
        Assert.Empty(Nft.SetElements(Ns, "inet", "fireline", "nat4"));
    }

    [Fact]
    public void Without_nat_no_uplink_is_needed()
    {
        Ip.Run("-n", Ns, "route", "del", "default");

        var status = _env.Engine.InitHost(new HostInitRequest { Nat = false });

        Assert.Null(status.Uplink);
        Assert.Empty(Nft.SetElements(Ns, "inet", "fireline", "nat4"));
        Assert.Empty(Nft.SetElements(Ns, "inet", "fireline", "uplink"));
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<FirelineException>(() => _env.Engine.InitHost(new HostInitRequest())).Kind);
    }

    [Fact]
    public void A_hand_deleted_table_is_restored_by_the_next_init()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _env.Host.InHost("nft", "delete", "table", "inet", "fireline");

        _env.Engine.InitHost(new HostInitRequest());

        Assert.Contains("masquerade", _env.Host.InHost("nft", "list", "ruleset"), StringComparison.Ordinal);
        Assert.Equal(["10.100.0.0/16"], Nft.SetElements(Ns, "inet", "fireline", "nat4"));
    }

    [Theory]
    [InlineData("10.100.0.0", null, null, "subnet")]
    [InlineData("10.100.0.1/16", null, null, "subnet")]
    [InlineData("10.100.0.0/31", null, null, "subnet")]
    [InlineData("10.100.0.0/16", "a-bridge-name-too-long", null, "bridge")]
    [InlineData("10.100.0.0/16", null, "nosuch0", "uplink")]
    public void Refuses_bad_input_naming_the_field_and_changes_nothing(string subnet, string? bridge, string? uplink, string field)
    {
        var before = Ip.LinkState(Ns, details: true);

        var error = Assert.Throws<FirelineException>(() => _env.Engine.InitHost(new HostInitRequest
        {
            Subnet = subnet,
            Bridge = bridge ?? HostInitRequest.DefaultBridge,
            Uplink = uplink,
        }));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal(field, error.Field);
        Assert.Equal(before, Ip.LinkState(Ns, details: true));
        Assert.False(_env.Engine.GetHostStatus().Initialized);
    }

    public void Dispose() => _env.Dispose();
}
