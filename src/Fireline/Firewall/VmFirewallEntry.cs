using System.Net;
using Fireline.Addressing;
using Fireline.Linux;
using Fireline.Linux.Nftables;
using Fireline.Linux.Nftables.Clauses;
using Fireline.Policy;
using Fireline.State;
using Fireline.Vms;
using static Fireline.Firewall.FirewallTables;

namespace Fireline.Firewall;

/// <summary>
/// What the firewall knows of one VM: its bridge port (host veth), MAC and IPv4 address, and for a dual-stack
/// VM the IPv6 addresses it may send from (its own and the link-local address its kernel forms from its MAC).
/// Its anti-spoofing elements are all a VM without rules of its own adds; a VM with some adds its two chains and
/// its addresses in the per-VM verdict maps. Either way adding a VM costs the same with 10 VMs or 4,000.
/// </summary>
public sealed record VmFirewallEntry(string HostVeth, MacAddress Mac, IPAddress Address)
{
    public IReadOnlyList<IPAddress> Ipv6 { get; init; } = [];

    /// <summary>The VM's id: its chains' names.</summary>
    public string VmId { get; init; } = "";

    /// <summary>The VM's network: where its chains return to.</summary>
    public string Network { get; init; } = "";

    /// <summary>The VM's own rules (validated, canonical), evaluated before its network's; empty: none.</summary>
    public IReadOnlyList<PolicyRule> Policies { get; init; } = [];

    public static VmFirewallEntry For(VmState vm, NetworkSpec network)
    {
        var mac = VmAddressing.GuestMac(vm.Address);
        return new VmFirewallEntry(VmAddressing.HostVeth(vm.Address), mac, Ipv4Network.ToAddress(vm.Address))
        {
            Ipv6 = VmRecords.Ipv6Of(vm, network) is { } prefix
                ? [prefix.VmAddress(vm.Address), Ipv6Prefix.LinkLocal(mac)]
                : [],
            VmId = vm.VmId.Value,
            Network = network.Name,
            Policies = vm.Options.Policies ?? [],
        };
    }

    /// <summary>The VM's own chains (none without rules of its own): ingress, then egress.</summary>
    public IReadOnlyList<NftChain> Chains
        => Policies.Count == 0 ? [] : [new NftChain(Inet, IngressChainName(VmId)), new NftChain(Inet, EgressChainName(VmId))];

    /// <summary>
    /// Its chains' rules. Ingress: allow accepts, deny drops, no match returns to the network's rules. Egress: deny
    /// drops, allow goes on to what the network decides without its egress rules, no match returns.
    /// </summary>
    public IReadOnlyList<NftRule> Rules
    {
        get
        {
            if (Policies.Count == 0)
            {
                return [];
            }

            var (ingress, egress) = (Chains[0], Chains[1]);
            return
            [
                .. Policies.SelectMany(rule => PolicyClauses.Matches(rule).Select(match => rule.Direction == PolicyDirection.Ingress
                    ? new NftRule(ingress, [.. match, new VerdictStatement(rule.Action == PolicyAction.Allow ? NftVerdict.Accept : NftVerdict.Drop)], rule.Name)
                    : new NftRule(egress, [.. match, new VerdictStatement(rule.Action == PolicyAction.Allow
                        ? NftVerdict.Goto(NetworkFirewall.AllowedChain(Network, rule)) : NftVerdict.Drop)], rule.Name))),
            ];
        }
    }

    public static string IngressChainName(string vmId) => $"vmin-{vmId}";

    public static string EgressChainName(string vmId) => $"vmout-{vmId}";

    /// <summary>The VM's elements, by set.</summary>
    public IReadOnlyList<(NftSet Set, IReadOnlyList<NftElement> Elements)> Elements
    {
        get
        {
            var port = NftData.InterfaceName(HostVeth);
            var mac = Mac.ToBytes();
            List<(NftSet, IReadOnlyList<NftElement>)> elements =
            [
                (VmMacs, [new NftElement(NftData.Concat(port, mac))]),
                (VmIpv4, [new NftElement(NftData.Concat(port, mac, NftData.Address(Address)))]),
                (VmAddresses4, [new NftElement(NftData.Address(Address))]),
            ];
            if (Ipv6.Count > 0)
            {
                IReadOnlyList<NftElement> own = [.. Ipv6.Select(a => new NftElement(NftData.Concat(port, mac, NftData.Address(a))))];
                elements.Add((VmIpv6, own));
                elements.Add((VmNeighbourTargets, own));
                elements.Add((VmAddresses6, [.. Ipv6.Select(a => new NftElement(NftData.Address(a)))]));
            }

            if (Chains is [var ingress, var egress])
            {
                elements.Add((VmIngress4, [new NftElement(NftData.Address(Address)) { Verdict = NftVerdict.Jump(ingress.Name) }]));
                elements.Add((VmEgress4, [new NftElement(NftData.Address(Address)) { Verdict = NftVerdict.Jump(egress.Name) }]));
                if (Ipv6.Count > 0)
                {
                    elements.Add((VmIngress6, [.. Ipv6.Select(a => new NftElement(NftData.Address(a)) { Verdict = NftVerdict.Jump(ingress.Name) })]));
                    elements.Add((VmEgress6, [.. Ipv6.Select(a => new NftElement(NftData.Address(a)) { Verdict = NftVerdict.Jump(egress.Name) })]));
                }
            }

            return elements;
        }
    }
}
