using Fireline.Errors;
using Fireline.Host;
using Fireline.Service;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Policy;

/// <summary>
/// How the firewall changes: a network's change touches only its own chains and elements, a removed network
/// leaves nothing, a hand edit is found and repaired, and the tables belong to one instance.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class FirewallTests : IDisposable
{
    private const string Two = """
        networks:
          - name: alpha
            subnet: 10.230.0.0/24
            policies:
              - {name: web, direction: ingress, protocol: tcp, port: 80, action: allow}
          - name: beta
            subnet: 10.231.0.0/24
            defaultIngress: deny
        """;

    private readonly EngineHost _env = new();

    public FirewallTests()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _env.Engine.ApplyNetworks(Two, dryRun: false, prune: false);
    }

    [Fact]
    public void A_policy_change_rewrites_only_that_networks_chains()
    {
        var before = Handles();

        _env.Engine.ApplyNetworks(Two.Replace("port: 80", "port: 8080", StringComparison.Ordinal), dryRun: false, prune: false);

        var after = Handles();
        Assert.Contains("tcp dport 8080 accept comment \"web\"", _env.Host.InHost("nft", "list", "chain", "inet", "fireline", "in-alpha"), StringComparison.Ordinal);
        // Every rule outside alpha's chains keeps its handle: nothing else was even rewritten.
        Assert.Equal(before.Where(r => !r.Chain.EndsWith("-alpha", StringComparison.Ordinal)), after.Where(r => !r.Chain.EndsWith("-alpha", StringComparison.Ordinal)));
        Assert.NotEqual(before.Where(r => r.Chain == "in-alpha"), after.Where(r => r.Chain == "in-alpha"));
    }

    [Fact]
    public void A_deleted_network_leaves_no_chain_and_no_element()
    {
        _env.Engine.DeleteNetwork("beta");

        var ruleset = _env.Host.InHost("nft", "list", "ruleset");
        Assert.DoesNotContain("beta", ruleset, StringComparison.Ordinal);
        Assert.DoesNotContain("10.231.0.0", ruleset, StringComparison.Ordinal);
        Assert.Contains("chain in-alpha", ruleset, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hand_edit_is_named_by_doctor_and_undone_by_reconcile()
    {
        var intact = _env.Host.InHost("nft", "list", "table", "inet", "fireline");
        var handle = Handles().First(r => r.Chain == "in-beta").Handle;
        _env.Host.InHost("nft", "delete", "rule", "inet", "fireline", "in-beta", "handle", handle);
        _env.Host.InHost("nft", "add", "element", "inet", "fireline", "bridges", "{ \"eth9\" }");

        Assert.Equal(Fireline.Doctor.CheckStatus.Fail, _env.Engine.Doctor(null).Checks.Single(c => c.Check == "firewall-rules").Status);
        Assert.Contains(_env.Engine.Reconcile().Actions, a => a.Action == "repair" && a.Subject == "firewall");

        Assert.Equal(Nft.Blocks(intact), Nft.Blocks(_env.Host.InHost("nft", "list", "table", "inet", "fireline")));
        Assert.Empty(_env.Engine.Reconcile().Actions);
    }

    [Fact]
    public void A_network_the_kernel_refuses_changes_neither_the_kernel_nor_the_records()
    {
        // A prefix put into Fireline's subnet set by hand overlaps the new network's: the kernel refuses the
        // transaction that adds it (no check before could know), after its bridge was made.
        _env.Host.InHost("nft", "add", "element", "inet", "fireline", "subnets4", "{ 10.77.0.0/16 }");
        var before = (_env.Host.InHost("nft", "list", "ruleset"), Ip.LinkState(_env.Host.HostNamespaceName));

        var error = Assert.Throws<FirelineException>(() => _env.Engine.ApplyNetworks("networks: [{name: late, subnet: 10.77.1.0/24}]", dryRun: false, prune: false));

        Assert.Equal("kernel-error", error.Code);
        Assert.Equal(before, (_env.Host.InHost("nft", "list", "ruleset"), Ip.LinkState(_env.Host.HostNamespaceName)));
        Assert.Equal("network-not-found", Assert.Throws<FirelineException>(() => _env.Engine.GetNetwork("late")).Code);
        Assert.Equal(["alpha", "beta", "default"], _env.Engine.ListNetworks().Select(n => n.Name).Order());
    }

    [Fact]
    public void A_second_instance_in_the_same_host_namespace_is_refused_the_firewall_and_changes_nothing()
    {
        var before = _env.Host.InHost("nft", "-a", "list", "ruleset");
        var other = Directory.CreateTempSubdirectory("fireline-test-").FullName;
        try
        {
            using var second = FirelineEngine.Open(new EngineOptions { StateDirectory = other, HostNamespace = _env.Host.HostNamespace });

            var error = Assert.Throws<FirelineException>(() => second.InitHost(new HostInitRequest { Subnet = "10.99.0.0/16", Bridge = "br-other" }));

            Assert.Equal("firewall-in-use", error.Code);
            Assert.Equal(before, _env.Host.InHost("nft", "-a", "list", "ruleset"));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    public void Dispose() => _env.Dispose();

    /// <summary>Every rule of inet fireline: its chain and handle, in order.</summary>
    private IReadOnlyList<(string Chain, string Handle)> Handles() => Nft.RuleHandles(_env.Host.InHost("nft", "-a", "list", "table", "inet", "fireline"));
}
