using Fireline.Errors;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Policy;

[Trait("Category", Categories.Integration)]
public sealed class NetworkApplyTests : IDisposable
{
    private readonly EngineHost _env = new();

    public NetworkApplyTests() => _env.Engine.InitHost(new HostInitRequest());

    private string Ns => _env.Host.HostNamespaceName;

    private string Snapshot() => Ip.LinkState(Ns) + _env.Host.InHost("nft", "-a", "list", "ruleset");

    [Fact]
    public void The_design_documents_file_gives_each_network_a_bridge_gateway_and_chains_and_a_second_apply_changes_nothing()
    {
        var plan = _env.Engine.ApplyNetworks(DesignDocumentNetworks.Yaml(withVlans: false), dryRun: false, prune: false);

        Assert.Equal(["create", "create"], plan.Changes.Select(c => c.Action));
        foreach (var (name, gateway) in new[] { ("customer-a-prod", "10.101.0.1"), ("customer-b-dev", "10.102.0.1") })
        {
            var bridge = _env.Engine.GetNetwork(name).Bridge;
            Assert.True(bridge.Length <= 15);
            Assert.Contains(Ip.AddressesOf(Ns, bridge), a => a.GetProperty("local").GetString() == gateway);
        }

        var ruleset = _env.Host.InHost("nft", "list", "table", "inet", "fireline");
        Assert.Contains("chain in-customer-a-prod", ruleset, StringComparison.Ordinal);
        Assert.Contains("tcp dport 443 accept comment \"allow-https\"", ruleset, StringComparison.Ordinal);
        Assert.Contains("ip saddr 203.0.113.0/24 tcp dport 22 accept comment \"allow-ssh-from-office\"", ruleset, StringComparison.Ordinal);
        var before = Snapshot();

        var again = _env.Engine.ApplyNetworks(DesignDocumentNetworks.Yaml(withVlans: false), dryRun: false, prune: false);

        Assert.All(again.Changes, c => Assert.Equal("unchanged", c.Action));
        Assert.Equal(before, Snapshot());
        Assert.Equal(3, _env.Engine.ListNetworks().Count);
    }

    [Fact]
    public void Vlans_are_planned_by_a_dry_run_and_refused_by_this_kernel_without_changing_anything()
    {
        var before = Snapshot();

        var plan = _env.Engine.ApplyNetworks(DesignDocumentNetworks.Yaml(withVlans: true), dryRun: true, prune: false);
        Assert.Contains(plan.Changes[0].Details, d => d.Contains("vlan 101", StringComparison.Ordinal));
        Assert.Equal(before, Snapshot());

        var error = Assert.Throws<FirelineException>(() => _env.Engine.ApplyNetworks(DesignDocumentNetworks.Yaml(withVlans: true), dryRun: false, prune: false));
        Assert.Equal("networks[0].vlan", error.Field);
        Assert.Contains("802.1Q", error.Message, StringComparison.Ordinal);
        Assert.Contains("customer-a-prod", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
        Assert.Single(_env.Engine.ListNetworks());
    }

    [Theory]
    [InlineData("networks:\n  - name: a\n    subnet: 10.50.0.0/16\n    policies:\n      - name: x\n        direction: ingress\n        protocol: tcp\n        port: 70000\n        action: allow\n", "networks[0].policies[0].port")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.50.0.0/16\n  - name: b\n    subnet: 10.50.1.0/24\n", "networks[1].subnet")]
    [InlineData("networks:\n  - name: a\n    subnet: 198.51.100.0/24\n", "networks[0].subnet")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.50.0.0/16\n    policies:\n      - name: x\n        direction: sideways\n        action: allow\n", "networks[0].policies[0].direction")]
    public void An_invalid_file_changes_nothing_at_all(string yaml, string field)
    {
        var before = Snapshot();

        var error = Assert.Throws<FirelineException>(() => _env.Engine.ApplyNetworks(yaml, dryRun: false, prune: false));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal(field, error.Field);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Networks_left_out_of_a_file_stay_unless_pruned_and_a_used_network_cannot_be_deleted()
    {
        _env.Engine.ApplyNetworks(DesignDocumentNetworks.Yaml(withVlans: false), dryRun: false, prune: false);
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("b1"), Network = "customer-b-dev" });
        const string OnlyA = "networks:\n  - name: customer-a-prod\n    subnet: 10.101.0.0/16\n";

        _env.Engine.ApplyNetworks(OnlyA, dryRun: false, prune: false);
        Assert.Equal(3, _env.Engine.ListNetworks().Count);

        var refused = Assert.Throws<FirelineException>(() => _env.Engine.ApplyNetworks("networks:\n  - name: customer-a-prod\n    subnet: 10.101.0.0/16\n  - name: default\n    subnet: 10.100.0.0/16\n    bridge: br-vms\n", dryRun: false, prune: true));
        Assert.Equal("conflict", refused.Code);
        Assert.Equal("conflict", Assert.Throws<FirelineException>(() => _env.Engine.DeleteNetwork("customer-b-dev")).Code);

        _env.Engine.DeleteVm(vm.VmId);
        _env.Engine.DeleteNetwork("customer-b-dev");
        Assert.Null(Ip.Link(Ns, "br-customer-b-dev"));
        Assert.DoesNotContain(Ip.Links(Ns), l => l.GetProperty("ifname").GetString()!.StartsWith("br-custom", StringComparison.Ordinal) && l.GetProperty("ifname").GetString() != _env.Engine.GetNetwork("customer-a-prod").Bridge);
        Assert.DoesNotContain("customer-b-dev", _env.Host.InHost("nft", "list", "ruleset"), StringComparison.Ordinal);
        Assert.Equal("network-not-found", Assert.Throws<FirelineException>(() => _env.Engine.GetNetwork("customer-b-dev")).Code);
    }

    [Fact]
    public void A_changed_rule_rewrites_only_its_chain_and_the_result_is_what_a_fresh_host_gets()
    {
        _env.Engine.ApplyNetworks(DesignDocumentNetworks.Yaml(withVlans: false), dryRun: false, prune: false);
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("r1"), Network = "customer-a-prod" });
        var tablesBefore = _env.Host.InHost("nft", "-a", "list", "tables");
        var changed = DesignDocumentNetworks.Yaml(withVlans: false).Replace("port: 443", "port: 8443", StringComparison.Ordinal);

        _env.Engine.ApplyNetworks(changed, dryRun: false, prune: false);

        // The tables were not replaced (same handles), the VM's anti-spoofing elements stayed, the rule changed.
        Assert.Equal(tablesBefore, _env.Host.InHost("nft", "-a", "list", "tables"));
        Assert.Contains(vm.HostVeth, _env.Host.InHost("nft", "list", "set", "bridge", "fireline", "vm_ipv4"), StringComparison.Ordinal);
        var chain = _env.Host.InHost("nft", "list", "chain", "inet", "fireline", "in-customer-a-prod");
        Assert.Contains("tcp dport 8443 accept comment \"allow-https\"", chain, StringComparison.Ordinal);
        Assert.DoesNotContain("dport 443 ", chain, StringComparison.Ordinal);

        using var fresh = new EngineHost();
        fresh.Engine.InitHost(new HostInitRequest());
        fresh.Engine.ApplyNetworks(changed, dryRun: false, prune: false);
        Assert.Equal(Chains(fresh), Chains(_env));

        // Nothing left to do: a second apply and a reconcile find the firewall as it should be.
        var settled = Snapshot();
        _env.Engine.ApplyNetworks(changed, dryRun: false, prune: false);
        Assert.Equal(settled, Snapshot());
    }

    /// <summary>The inet table's chains as nft lists them, without handles.</summary>
    private static IReadOnlyList<string> Chains(EngineHost env) => Nft.Blocks(env.Host.InHost("nft", "list", "table", "inet", "fireline"));

    public void Dispose() => _env.Dispose();
}
