using System.Globalization;
using System.Text;
using Fireline.Addressing;
using Fireline.State;


namespace Fireline.Policy;

/// <summary>
/// Compiles the host's state into Fireline's two nftables tables. Everything per network is structure
/// (chains and anonymous maps, rebuilt when networks change); everything per VM is an element of a named set
/// (added and removed one at a time), so adding a VM or a forward costs the same with 10 VMs or 4,000.
/// </summary>
/// <remarks>
/// <c>inet fireline</c>: NAT (masquerade out of the uplink, DNAT of port forwards), isolation between networks,
/// each network's stateful ingress/egress policy (first match wins, then the direction's default), and host
/// protection (a guest reaches the host only for ICMP to its gateway, and DNS there when the network names it).
/// Bridged traffic between VMs of one network reaches the forward hook through br_netfilter.
/// <c>bridge fireline</c>: anti-spoofing on every VM port: a frame must carry the port's own MAC, and IPv4 and
/// ARP its own address; DHCP server replies, IPv6 (no dual stack yet: router advertisements included) and other
/// ethertypes from guests are dropped before they reach any other VM, the host or the uplink.
/// </remarks>
public static class FirewallRuleset
{
    public const string InetTable = "inet fireline";
    public const string BridgeTable = "bridge fireline";
    public const string VmMacs = "vm_macs";
    public const string VmAddresses = "vm_ipv4";
    public const string VmIpv6Addresses = "vm_ipv6";
    public const string VmNeighbourTargets = "vm_nd6";
    public const string PortForwards = "port_forwards";

    /// <summary>Both tables with their chains and empty named sets: what changes only with networks.</summary>
    public static string Structure(HostState host, IReadOnlyList<NetworkSpec> networks)
    {
        var text = new StringBuilder();
        Inet(text, host, networks.OrderBy(n => n.Name, StringComparer.Ordinal).ToList());
        Bridge(text);
        return text.ToString();
    }

    /// <summary>
    /// The structure with every network's policy left out: when only policies change, this stays the same, and
    /// only the policy chains need new rules (<see cref="PolicyChains"/>).
    /// </summary>
    public static string Frame(HostState host, IReadOnlyList<NetworkSpec> networks)
        => Structure(host, [.. networks.Select(n => n with { Policies = [], DefaultIngress = PolicyAction.Allow, DefaultEgress = PolicyAction.Allow })]);

    /// <summary>Each network's two policy chains (<c>out-N</c>, <c>in-N</c>) and their rules, keyed by chain name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> PolicyChains(IReadOnlyList<NetworkSpec> networks)
    {
        var (all, all6) = Prefixes(networks);
        var chains = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var network in networks)
        {
            chains[Chain("out", network.Name)] = EgressRules(network, all, all6);
            chains[Chain("in", network.Name)] = IngressRules(network, all, all6);
        }

        return chains;
    }

    /// <summary>A chain as <see cref="Structure"/> writes it: <c>chain NAME { rules }</c>.</summary>
    public static string ChainBlock(string chain, IReadOnlyList<string> rules)
        => $"\n\tchain {chain} {{\n{string.Concat(rules.Select(rule => $"\t\t{rule}\n"))}\t}}\n";

    /// <summary>
    /// One transaction that replaces a chain's rules: <c>flush chain inet fireline in-N</c>, then
    /// <c>add rule inet fireline in-N ...</c> per rule.
    /// </summary>
    public static string ReplaceChain(string chain, IReadOnlyList<string> rules)
        => $"flush chain {InetTable} {chain}\n" + string.Concat(rules.Select(rule => $"add rule {InetTable} {chain} {rule}\n"));

    /// <summary>The commands that add every VM's and forward's elements (after a rebuild).</summary>
    public static string Elements(IReadOnlyList<VmFirewallEntry> vms, IReadOnlyList<PortForward> forwards)
    {
        var text = new StringBuilder();
        foreach (var vm in vms)
        {
            text.Append(AddVm(vm));
        }

        foreach (var forward in forwards)
        {
            text.Append(AddForward(forward));
        }

        return text.ToString();
    }

    public static string AddVm(VmFirewallEntry vm) => VmElements("add", vm);

    public static string DeleteVm(VmFirewallEntry vm) => VmElements("delete", vm);

    public static string AddForward(PortForward forward) => ForwardElement("add", forward) + $" : {forward.VmAddress} . {forward.VmPort} }}\n";

    public static string DeleteForward(PortForward forward) => ForwardElement("delete", forward) + " }\n";

    /// <summary>An nftables chain name for a network: names are [A-Za-z0-9_.-], which nft takes unquoted.</summary>
    public static string Chain(string kind, string network) => $"{kind}-{network}";

    private static string VmElements(string verb, VmFirewallEntry vm)
    {
        var text = new StringBuilder();
        text.Append($"{verb} element {BridgeTable} {VmMacs} {{ \"{vm.HostVeth}\" . {vm.Mac} }}\n");
        text.Append($"{verb} element {BridgeTable} {VmAddresses} {{ \"{vm.HostVeth}\" . {vm.Mac} . {vm.Address} }}\n");
        if (vm.Ipv6.Count > 0)
        {
            text.Append($"{verb} element {BridgeTable} {VmIpv6Addresses} {{ {string.Join(", ", vm.Ipv6.Select(a => $"\"{vm.HostVeth}\" . {vm.Mac} . {a}"))} }}\n");
            text.Append($"{verb} element {BridgeTable} {VmNeighbourTargets} {{ {string.Join(", ", vm.Ipv6.Select(a => $"\"{vm.HostVeth}\" . {vm.Mac} . {Hex(a)}"))} }}\n");
        }

        return text.ToString();
    }

    /// <summary>An IPv6 address as the 128-bit number a raw payload match compares (network byte order).</summary>
    private static string Hex(System.Net.IPAddress address) => "0x" + Convert.ToHexStringLower(address.GetAddressBytes());

    private static string ForwardElement(string verb, PortForward forward)
        => string.Create(CultureInfo.InvariantCulture, $"{verb} element {InetTable} {PortForwards} {{ {forward.Protocol} . {forward.HostPort}");

    /// <summary>Every network's IPv4 subnet, and every dual-stack network's IPv6 prefix, as nft set contents.</summary>
    private static (string All, string All6) Prefixes(IReadOnlyList<NetworkSpec> networks)
        => (string.Join(", ", networks.Select(n => n.Subnet)), string.Join(", ", networks.Where(n => n.Ipv6 is not null).Select(n => n.Ipv6)));

    private static void Inet(StringBuilder text, HostState host, List<NetworkSpec> networks)
    {
        var (all, all6) = Prefixes(networks);
        text.Append($"table {InetTable} {{\n");
        text.Append($"\tmap {PortForwards} {{\n\t\ttype inet_proto . inet_service : ipv4_addr . inet_service\n\t}}\n\n");
        text.Append("\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n");
        if (host.Uplink is not null)
        {
            text.Append($"\t\tiifname \"{host.Uplink}\" fib daddr type local dnat ip to meta l4proto . th dport map @{PortForwards}\n");
        }

        text.Append("\t}\n\n");
        text.Append("\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        var masqueraded = networks.Where(n => n.Nat).Select(n => n.Subnet).ToList();
        if (host is { Nat: true, Uplink: not null } && masqueraded.Count > 0)
        {
            text.Append($"\t\toifname \"{host.Uplink}\" ip saddr {{ {string.Join(", ", masqueraded)} }} masquerade\n");
        }

        var masqueraded6 = networks.Where(n => n.Nat && n.Ipv6 is not null).Select(n => n.Ipv6!).ToList();
        if (host is { Nat: true, Uplink: not null } && masqueraded6.Count > 0)
        {
            text.Append($"\t\toifname \"{host.Uplink}\" ip6 saddr {{ {string.Join(", ", masqueraded6)} }} masquerade\n");
        }

        text.Append("\t}\n");
        if (networks.Count == 0)
        {
            text.Append("}\n");
            return;
        }

        text.Append("\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n");
        text.Append("\t\tct state established,related accept\n\t\tct state invalid drop\n");
        var dualStack = networks.Where(n => n.Ipv6 is not null).ToList();
        text.Append($"\t\tip saddr vmap {{ {Dispatch(networks, "out", n => n.Subnet)} }}\n");
        text.Append($"\t\tip daddr vmap {{ {Dispatch(networks, "in", n => n.Subnet)} }}\n");
        if (dualStack.Count > 0)
        {
            text.Append($"\t\tip6 saddr vmap {{ {Dispatch(dualStack, "out", n => n.Ipv6!)} }}\n");
            text.Append($"\t\tip6 daddr vmap {{ {Dispatch(dualStack, "in", n => n.Ipv6!)} }}\n");
        }

        text.Append("\t}\n\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n");
        text.Append($"\t\tip saddr vmap {{ {Dispatch(networks, "host", n => n.Subnet)} }}\n");
        if (dualStack.Count > 0)
        {
            text.Append($"\t\tip6 saddr vmap {{ {Dispatch(dualStack, "host", n => n.Ipv6!)} }}\n");
        }

        text.Append("\t}\n");
        foreach (var network in networks)
        {
            NetworkChains(text, network, all, all6);
        }

        text.Append("}\n");
    }

    private static string Dispatch(List<NetworkSpec> networks, string kind, Func<NetworkSpec, string> prefix)
        => string.Join(", ", networks.Select(n => $"{prefix(n)} : jump {Chain(kind, n.Name)}"));

    private static void NetworkChains(StringBuilder text, NetworkSpec network, string all, string all6)
    {
        var gateway = Ipv4Network.Format(Ipv4Network.Parse(network.Subnet).Gateway);
        text.Append(ChainBlock(Chain("out", network.Name), EgressRules(network, all, all6)));
        text.Append(ChainBlock(Chain("in", network.Name), IngressRules(network, all, all6)));
        text.Append('\n');
        text.Append($"\tchain {Chain("host", network.Name)} {{\n\t\tct state established,related accept\n");
        text.Append($"\t\tip daddr {gateway} icmp type echo-request accept\n");
        if (network.Ipv6 is { } hostPrefix)
        {
            text.Append($"\t\tip6 daddr {Ipv6Prefix.Parse(hostPrefix).Gateway} icmpv6 type echo-request accept\n");
            text.Append("\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit } accept\n");
        }

        if (network.Dns.Contains(gateway))
        {
            text.Append($"\t\tip daddr {gateway} meta l4proto {{ tcp, udp }} th dport 53 accept\n");
        }

        text.Append("\t\tdrop\n\t}\n");
    }

    // Egress: an allowed packet returns to the forward chain, where the receiver's ingress policy still applies.
    private static List<string> EgressRules(NetworkSpec network, string all, string all6)
    {
        List<string> rules = [$"ip daddr {{ {all} }} ip daddr != {network.Subnet} drop comment \"isolation\""];
        if (network.Ipv6 is { } prefix)
        {
            rules.Add($"ip6 daddr {{ {all6} }} ip6 daddr != {prefix} drop comment \"isolation\"");
        }

        rules.AddRange(network.Policies.Where(r => r.Direction == PolicyDirection.Egress)
            .Select(rule => $"{Match(rule)}{(rule.Action == PolicyAction.Allow ? "return" : "drop")} comment \"{rule.Name}\""));
        if (network.DefaultEgress == PolicyAction.Deny)
        {
            rules.Add("drop comment \"default egress\"");
        }

        return rules;
    }

    private static List<string> IngressRules(NetworkSpec network, string all, string all6)
    {
        List<string> rules = [$"ip saddr {{ {all} }} ip saddr != {network.Subnet} drop comment \"isolation\""];
        if (network.Ipv6 is { } prefix)
        {
            rules.Add($"ip6 saddr {{ {all6} }} ip6 saddr != {prefix} drop comment \"isolation\"");
        }

        rules.AddRange(network.Policies.Where(r => r.Direction == PolicyDirection.Ingress)
            .Select(rule => $"{Match(rule)}{(rule.Action == PolicyAction.Allow ? "accept" : "drop")} comment \"{rule.Name}\""));
        rules.Add($"{(network.DefaultIngress == PolicyAction.Allow ? "accept" : "drop")} comment \"default ingress\"");
        return rules;
    }

    /// <summary>The match part of a rule: addresses, protocol, ports (an empty match matches everything).</summary>
    private static string Match(PolicyRule rule)
    {
        var match = new StringBuilder();
        if (rule.Source is { } source && source is not ("0.0.0.0/0" or "::/0"))
        {
            match.Append($"{Family(source)} saddr {source} ");
        }

        if (rule.Destination is { } destination && destination is not ("0.0.0.0/0" or "::/0"))
        {
            match.Append($"{Family(destination)} daddr {destination} ");
        }

        if (rule.Protocol is { } protocol)
        {
            match.Append(rule.PortFrom is { } from
                ? string.Create(CultureInfo.InvariantCulture, $"{protocol} dport {(from == rule.PortTo ? $"{from}" : $"{from}-{rule.PortTo}")} ")
                : $"meta l4proto {protocol} ");
        }

        return match.ToString();
    }

    /// <summary>The nft keyword of a CIDR's family.</summary>
    private static string Family(string cidr) => cidr.Contains(':', StringComparison.Ordinal) ? "ip6" : "ip";

    private static void Bridge(StringBuilder text)
    {
        text.Append($"table {BridgeTable} {{\n");
        text.Append($"\tset {VmMacs} {{\n\t\ttype ifname . ether_addr\n\t}}\n\n");
        text.Append($"\tset {VmAddresses} {{\n\t\ttype ifname . ether_addr . ipv4_addr\n\t}}\n\n");
        text.Append($"\tset {VmIpv6Addresses} {{\n\t\ttype ifname . ether_addr . ipv6_addr\n\t}}\n\n");
        // The target of a neighbour advertisement, matched as raw payload: nft 1.0.6 has no name for it.
        text.Append($"\tset {VmNeighbourTargets} {{\n\t\ttypeof iifname . ether saddr . @th,64,128\n\t}}\n\n");
        text.Append("\tchain prerouting {\n\t\ttype filter hook prerouting priority filter; policy accept;\n");
        text.Append($"\t\tiifname != \"{VmAddressing.HostVethPrefix}*\" accept\n");
        text.Append($"\t\tiifname . ether saddr != @{VmMacs} drop\n");
        text.Append($"\t\tether type arp iifname . arp saddr ether . arp saddr ip != @{VmAddresses} drop\n");
        text.Append("\t\tether type arp accept\n");
        text.Append($"\t\tether type ip iifname . ether saddr . ip saddr != @{VmAddresses} drop\n");
        text.Append("\t\tether type ip udp sport 67 drop\n");
        text.Append("\t\tether type ip accept\n");
        text.Append("\t\tether type ip6 icmpv6 type nd-router-advert drop\n");
        text.Append("\t\tether type ip6 udp sport 547 drop\n");
        text.Append("\t\tether type ip6 ip6 saddr :: icmpv6 type nd-neighbor-solicit accept\n");
        text.Append($"\t\tether type ip6 iifname . ether saddr . ip6 saddr != @{VmIpv6Addresses} drop\n");
        text.Append($"\t\tether type ip6 icmpv6 type nd-neighbor-advert iifname . ether saddr . @th,64,128 != @{VmNeighbourTargets} drop\n");
        text.Append("\t\tether type ip6 accept\n");
        text.Append("\t\tdrop\n\t}\n}\n");
    }
}
