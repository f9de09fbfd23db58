using System.Net;
using Fireline.Addressing;
using Fireline.Firewall;
using Fireline.Linux;
using Fireline.Networks;

namespace Fireline.Tests.Firewall;

/// <summary>A VM's own chains as rules (nft's text of them) and the elements that hook them in.</summary>
public sealed class VmFirewallEntryTests
{
    private static readonly VmFirewallEntry Plain = new("fl0a640002", MacAddress.Parse("06:00:0a:64:00:02"), IPAddress.Parse("10.100.0.2"))
    {
        VmId = "web1",
        Network = "default",
    };

    [Fact]
    public void A_vm_without_rules_of_its_own_adds_no_chain_and_no_map_element()
    {
        Assert.Empty(Plain.Chains);
        Assert.DoesNotContain(Plain.Elements, e => FirewallTables.VmPolicyMaps.Contains(e.Set));
    }

    [Fact]
    public void Ingress_rules_accept_or_drop_and_egress_rules_drop_or_go_on_to_what_the_network_decides_without_its_rules()
    {
        var vm = Plain with
        {
            Policies = VmPolicyDocument.ParseYaml("""
                policies:
                  - {name: web, direction: ingress, protocol: tcp, port: 80, action: allow}
                  - {name: rest, direction: ingress, action: deny}
                  - {name: no-smtp, direction: egress, protocol: tcp, port: 25, action: deny}
                  - {name: metadata, direction: egress, destination: 169.254.169.254, action: allow}
                  - {name: lan, direction: egress, destination: 192.168.0.0/16, action: allow}
                  - {name: any, direction: egress, protocol: udp, action: allow}
                """),
        };

        Assert.Equal(["vmin-web1", "vmout-web1"], vm.Chains.Select(c => c.Name));
        Assert.Equal(
            [
                "vmin-web1: tcp dport 80 accept comment \"web\"",
                "vmin-web1: drop comment \"rest\"",
                "vmout-web1: tcp dport 25 drop comment \"no-smtp\"",
                "vmout-web1: ip daddr 169.254.169.254 goto allowedll-default comment \"metadata\"",
                "vmout-web1: ip daddr 192.168.0.0/16 goto allowedto-default comment \"lan\"",
                "vmout-web1: meta l4proto udp goto allowed-default comment \"any\"",
            ], vm.Rules.Select(r => $"{r.Chain.Name}: {r}"));
        Assert.Contains(vm.Elements, e => e.Set == FirewallTables.VmIngress4 && e.Elements.Single().Verdict!.ToString() == "jump vmin-web1");
        Assert.Contains(vm.Elements, e => e.Set == FirewallTables.VmEgress4 && e.Elements.Single().Verdict!.ToString() == "jump vmout-web1");
    }
}
