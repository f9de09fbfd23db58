using System.Net;
using Fireline.Errors;
using Fireline.Linux;
using Fireline.Host;
using Fireline.Networks;
using Fireline.Policy;
using Fireline.TestSupport;
using Fireline.TestSupport.Wire;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Policy;

/// <summary>
/// A VM's own rules, seen from outside: a TCP probe that is answered (<c>refused</c>: it reached the peer's kernel,
/// nothing listens) or dropped (<c>timeout</c>), and the ruleset as <c>nft</c> lists it. The VM's rules come first,
/// then its network's, then the network's default; everything else is as without them.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class VmPolicyTests : IDisposable
{
    private const string Reached = "refused";
    private const string Dropped = "timeout";

    private readonly EngineHost _env = new();

    public VmPolicyTests() => _env.Engine.InitHost(new HostInitRequest { Ipv6Prefix = "fd00:65::/64" });

    private static string Outside => TestHost.OutsideAddress.ToString();

    [Fact]
    public void A_vm_with_a_deny_rule_cannot_reach_what_its_neighbour_on_the_same_network_can()
    {
        var denied = Vm("denied", Rules("{name: no-outside-9, direction: egress, protocol: tcp, port: 9, destination: 198.51.100.1, action: deny}"));
        var neighbour = Vm("neighbour");
        using var guest = new GuestStandIn(_env.Host, denied);
        using var other = new GuestStandIn(_env.Host, neighbour);

        Assert.Equal(Dropped, Probes.Answer(guest.Namespace, Outside, 9));
        Assert.Equal(Reached, Probes.Answer(other.Namespace, Outside, 9));
        Assert.Equal(Reached, Probes.Answer(guest.Namespace, Outside, 10)); // only what the rule names
        Assert.Equal(Reached, Probes.Answer(guest.Namespace, neighbour.Ipv4.Address, 9));
    }

    [Fact]
    public void A_guest_cannot_get_past_a_vms_rules_by_addressing_its_packet_to_another_vm()
    {
        // The receiver's rules are found by destination address: a frame to the guarded VM's MAC that names the
        // open neighbour's address (or a broadcast frame naming it) would be judged by the neighbour's rules and
        // land on the guarded VM's port. Destination binding drops it; the sentinel shows the path was open.
        var guarded = Vm("guarded", Rules("{name: no-5000, direction: ingress, protocol: udp, port: 5000, action: deny}"), ipv6: true);
        var neighbour = Vm("open", ipv6: true);
        var attacker = Vm("attacker", ipv6: true);
        using var guardedGuest = new GuestStandIn(_env.Host, guarded);
        using var attackerGuest = new GuestStandIn(_env.Host, attacker);
        using var inbox = new RawWire($"/var/run/netns/{guardedGuest.Namespace}", "eth0");
        using var wire = new RawWire($"/var/run/netns/{attackerGuest.Namespace}", "eth0");
        var (to, from) = (MacAddress.Parse(guarded.GuestMac), MacAddress.Parse(attacker.GuestMac));
        var attacks = new List<byte[]>();
        foreach (var (mac, source, destination) in new[]
        {
            (to, attacker.Ipv4.Address, neighbour.Ipv4.Address),
            (RawFrames.Broadcast, attacker.Ipv4.Address, neighbour.Ipv4.Address),
            (to, attacker.Ipv6!.Address, neighbour.Ipv6!.Address),
            (to, attacker.Ipv4.Address, guarded.Ipv4.Address),
        })
        {
            var marker = RawFrames.Marker();
            attacks.Add(marker);
            wire.Send(RawFrames.Udp(mac, from, IPAddress.Parse(source), IPAddress.Parse(destination), 40000, 5000, marker));
        }

        var sentinel = RawFrames.Marker();
        wire.Send(RawFrames.Udp(to, from, IPAddress.Parse(attacker.Ipv4.Address), IPAddress.Parse(guarded.Ipv4.Address), 40000, 5001, sentinel));
        inbox.WaitFor(sentinel);

        Assert.All(attacks, marker => Assert.False(inbox.Seen(marker), "a packet the guarded VM's rules deny reached it"));
    }

    [Fact]
    public void A_vm_rule_allows_what_its_network_denies_and_only_for_that_vm()
    {
        _env.Engine.ApplyNetworks("""
            networks:
              - name: closed
                subnet: 10.240.0.0/24
                defaultIngress: deny
                policies:
                  - {name: no-egress-9, direction: egress, protocol: tcp, port: 9, action: deny}
            """, dryRun: false, prune: false);
        var open = Vm("open", Rules(
            "{name: web-in, direction: ingress, protocol: tcp, port: 80, action: allow}",
            "{name: out-9, direction: egress, protocol: tcp, port: 9, action: allow}"), "closed");
        var shut = Vm("shut", network: "closed");
        using var openGuest = new GuestStandIn(_env.Host, open);
        using var shutGuest = new GuestStandIn(_env.Host, shut);

        Assert.Equal(Reached, Probes.Answer(shutGuest.Namespace, open.Ipv4.Address, 80));
        Assert.Equal(Dropped, Probes.Answer(openGuest.Namespace, shut.Ipv4.Address, 80));
        Assert.Equal(Reached, Probes.Answer(openGuest.Namespace, Outside, 9));
        Assert.Equal(Dropped, Probes.Answer(shutGuest.Namespace, Outside, 9));
    }

    [Fact]
    public void Ipv6_rules_judge_ipv6_traffic_and_leave_ipv4_to_the_network()
    {
        var guarded = Vm("guarded6", Rules("{name: no-peers6, direction: ingress, protocol: tcp, source: fd00:65::/64, action: deny}"), ipv6: true);
        var peer = Vm("peer6", ipv6: true);
        using var guardedGuest = new GuestStandIn(_env.Host, guarded);
        using var peerGuest = new GuestStandIn(_env.Host, peer);

        Assert.Equal(Dropped, Probes.Answer(peerGuest.Namespace, guarded.Ipv6!.Address, 80));
        Assert.Equal(Reached, Probes.Answer(peerGuest.Namespace, guarded.Ipv4.Address, 80));
        Assert.Equal(Reached, Probes.Answer(guardedGuest.Namespace, peer.Ipv6!.Address, 80));
    }

    [Fact]
    public void A_port_forward_is_judged_by_the_vms_rules_and_by_its_networks_again_once_they_are_cleared()
    {
        var web = Vm("fwd", Rules("{name: not-from-outside, direction: ingress, protocol: tcp, port: 80, source: 198.51.100.0/24, action: deny}"));
        using var guest = new GuestStandIn(_env.Host, web);
        _env.Engine.ForwardPort(web.VmId, new ForwardRequest { HostPort = 8080, VmPort = 80 });
        var uplink = TestHost.HostUplinkAddress.ToString();

        Assert.Equal(Dropped, Probes.Answer(_env.Host.OutsideNamespaceName, uplink, 8080));

        var cleared = _env.Engine.SetVmPolicies(web.VmId, []);

        Assert.Empty(cleared.Policies);
        Assert.Equal(Reached, Probes.Answer(_env.Host.OutsideNamespaceName, uplink, 8080));
        var ruleset = Ruleset();
        Assert.DoesNotContain(VmFirewallChain("vmin", web.VmId), ruleset, StringComparison.Ordinal);
        Assert.DoesNotContain(web.Ipv4.Address + " : jump", ruleset, StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_one_vms_rules_rewrites_only_its_own_chain()
    {
        var a = Vm("a", Rules("{name: r1, direction: ingress, protocol: tcp, port: 80, action: deny}"));
        Vm("b", Rules("{name: r1, direction: ingress, protocol: tcp, port: 81, action: deny}"));
        var before = Nft.RuleHandles(_env.Host.InHost("nft", "-a", "list", "table", "inet", "fireline"));

        var changed = _env.Engine.SetVmPolicies(a.VmId, VmPolicyDocument.ParseYaml("policies: [{name: r2, direction: ingress, protocol: udp, port: 53, action: deny}]"));

        var after = Nft.RuleHandles(_env.Host.InHost("nft", "-a", "list", "table", "inet", "fireline"));
        var own = VmFirewallChain("vmin", a.VmId);
        Assert.Equal(before.Where(r => r.Chain != own), after.Where(r => r.Chain != own));
        Assert.Contains("udp dport 53 drop comment \"r2\"", _env.Host.InHost("nft", "list", "chain", "inet", "fireline", own), StringComparison.Ordinal);
        Assert.Equal("r2", Assert.Single(changed.Policies).Name);
        Assert.Equal("r2", Assert.Single(_env.Engine.GetVm(a.VmId).Policies).Name);
    }

    [Fact]
    public void A_deleted_vm_leaves_no_chain_and_no_map_element()
    {
        var vm = Vm("gone", Rules("{name: r1, direction: egress, protocol: udp, action: deny}"), ipv6: true);
        Assert.Contains(VmFirewallChain("vmout", vm.VmId), Ruleset(), StringComparison.Ordinal);

        _env.Engine.DeleteVm(vm.VmId);

        var ruleset = Ruleset();
        Assert.DoesNotContain(vm.VmId, ruleset, StringComparison.Ordinal);
        Assert.DoesNotContain(vm.Ipv4.Address + " ", ruleset, StringComparison.Ordinal);
        Assert.DoesNotContain(vm.Ipv6!.Address + " ", ruleset, StringComparison.Ordinal);
    }

    [Fact]
    public void Reconcile_restores_a_per_vm_chain_deleted_by_hand_and_doctor_names_it_first()
    {
        var vm = Vm("restored", Rules("{name: no-outside-9, direction: egress, protocol: tcp, port: 9, action: deny}"));
        using var guest = new GuestStandIn(_env.Host, vm);
        var intact = Nft.Blocks(_env.Host.InHost("nft", "list", "table", "inet", "fireline"));
        var chain = VmFirewallChain("vmout", vm.VmId);
        foreach (var map in new[] { "vm_out4", "vm_in4" })
        {
            _env.Host.InHost("nft", "delete", "element", "inet", "fireline", map, $"{{ {vm.Ipv4.Address} }}");
        }

        _env.Host.InHost("nft", "flush", "chain", "inet", "fireline", chain);
        _env.Host.InHost("nft", "delete", "chain", "inet", "fireline", chain);
        Assert.Equal(Reached, Probes.Answer(guest.Namespace, Outside, 9));

        Assert.Equal(Fireline.Doctor.CheckStatus.Fail, _env.Engine.Doctor(null).Checks.Single(c => c.Check == "firewall-rules").Status);
        Assert.Equal(Fireline.Doctor.CheckStatus.Fail, _env.Engine.Doctor(vm.VmId).Checks.Single(c => c.Check == "vm-policy").Status);
        Assert.Contains(_env.Engine.Reconcile().Actions, a => a.Subject == "firewall");
        Assert.Contains("no-outside-9", _env.Engine.Doctor(vm.VmId).Checks.Single(c => c.Check == "vm-policy" && c.Status == Fireline.Doctor.CheckStatus.Pass).Detail,
            StringComparison.Ordinal);

        Assert.Equal(intact, Nft.Blocks(_env.Host.InHost("nft", "list", "table", "inet", "fireline")));
        Assert.Equal(Dropped, Probes.Answer(guest.Namespace, Outside, 9));
        Assert.Empty(_env.Engine.Reconcile().Actions);
    }

    [Theory]
    [InlineData("policies: [{name: p, direction: ingress, protocol: tcp, port: 70000, action: deny}]", "policies[0].port")]
    [InlineData("policies: [{name: p, direction: ingress, protocol: tcp, port: 80, action: deny, colour: red}]", "policies[0].colour")]
    [InlineData("policies: [{name: p, direction: ingress, protocol: icmp, port: 80, action: deny}]", "policies[0].port")]
    [InlineData("policies: [{name: p, direction: sideways, action: deny}]", "policies[0].direction")]
    [InlineData("policies: [{name: p, direction: ingress, source: 10.0.0.1/8, action: deny}]", "policies[0].source")]
    [InlineData("rules: []", "rules")]
    public void Bad_rules_are_refused_naming_the_field_and_change_nothing(string yaml, string field)
    {
        var vm = Vm("bad", Rules("{name: keep, direction: ingress, protocol: tcp, port: 80, action: deny}"));
        var ruleset = Ruleset();

        var error = Assert.Throws<FirelineException>(() => _env.Engine.SetVmPolicies(vm.VmId, VmPolicyDocument.ParseYaml(yaml)));

        Assert.Equal(("invalid-argument", field), (error.Code, error.Field));
        Assert.Equal(ruleset, Ruleset());
        Assert.Equal("keep", Assert.Single(_env.Engine.GetVm(vm.VmId).Policies).Name);
    }

    [Fact]
    public void Typed_rules_that_bypassed_the_parser_are_still_checked_by_the_engine()
    {
        var vm = Vm("typed");
        var ruleset = Ruleset();
        PolicyRule bad = new() { Name = "wide", Direction = PolicyDirection.Ingress, Protocol = "tcp", PortFrom = 90, PortTo = 80, Action = PolicyAction.Deny };

        var error = Assert.Throws<FirelineException>(() => _env.Engine.SetVmPolicies(vm.VmId, [bad]));

        Assert.Equal("policies[0].port", error.Field);
        Assert.Equal(ruleset, Ruleset());
        var create = Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("typed2"), Policies = [bad] }));
        Assert.Equal("policies[0].port", create.Field);
        Assert.Equal("vm-not-found", Assert.Throws<FirelineException>(() => _env.Engine.GetVm(_env.Host.VmId("typed2"))).Code);
    }

    [Fact]
    public void An_unknown_vm_is_vm_not_found_and_nothing_changes()
    {
        var ruleset = Ruleset();

        var error = Assert.Throws<FirelineException>(() => _env.Engine.SetVmPolicies(_env.Host.VmId("nobody"), Rules("{name: p, direction: ingress, action: deny}")));

        Assert.Equal("vm-not-found", error.Code);
        Assert.Equal(ruleset, Ruleset());
    }

    [Fact]
    public void Creating_again_with_the_same_rules_is_the_same_vm_and_other_rules_a_conflict()
    {
        var rules = Rules("{name: p, direction: ingress, protocol: tcp, port: 80, action: deny}");
        var vm = Vm("again", rules);

        var again = _env.Engine.CreateVm(new VmCreateRequest { VmId = vm.VmId, Policies = Rules("{name: p, direction: ingress, protocol: tcp, port: 80, action: deny}") });

        Assert.Equal((vm.HostVeth, vm.Ipv4), (again.HostVeth, again.Ipv4));
        Assert.Equal(vm.Policies, again.Policies);
        Assert.Equal("conflict", Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = vm.VmId })).Code);
    }

    public void Dispose() => _env.Dispose();

    private static IReadOnlyList<PolicyRule> Rules(params string[] rules) => VmPolicyDocument.ParseYaml($"policies: [{string.Join(", ", rules)}]");

    private static string VmFirewallChain(string kind, string vmId) => $"{kind}-{vmId}";

    private VmRecord Vm(string name, IReadOnlyList<PolicyRule>? rules = null, string? network = null, bool ipv6 = false)
        => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId(name), Policies = rules, Network = network, Ipv6 = ipv6 });

    private string Ruleset() => _env.Host.InHost("nft", "list", "ruleset");
}
