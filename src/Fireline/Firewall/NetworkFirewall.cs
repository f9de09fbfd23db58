using System.Net;
using Fireline.Addressing;
using Fireline.Linux.Nftables;
using Fireline.Linux.Nftables.Clauses;
using Fireline.Policy;
using Fireline.State;
using static Fireline.Firewall.FirewallTables;

namespace Fireline.Firewall;

/// <summary>
/// One network's part of the firewall: its chains and rules in <c>inet fireline</c>, and the elements that hook
/// them in (its bridge in the verdict maps, its prefixes in the address sets). Where a packet goes is decided by
/// interface: <c>from-N</c> takes new flows its VMs start (whatever source address they claim), <c>to-N</c> new
/// flows towards them from any other interface, <c>host-N</c> what they send to the host itself.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Between two VMs of the network (<c>intra-N</c>): the sender's egress rules, then the receiver's ingress
/// rules and default; broadcast and multicast included. Neighbour discovery passes (anti-spoofing vouches for it).</item>
/// <item>To another network's bridge: dropped, whatever the policies say.</item>
/// <item>Out of the uplink (<c>egress-N</c>): egress rules and default; link-local destinations (169.254.0.0/16, a
/// cloud's metadata service) only where a rule names them.</item>
/// <item>To any other interface of the host (<c>elsewhere-N</c>): only what a rule naming its destination allows.</item>
/// <item>From outside (<c>to-N</c>): only port forwards (connections the uplink's DNAT rewrote), through the
/// ingress rules; replies to the network's own flows everywhere.</item>
/// <item>To the host (<c>host-N</c>): ping to its gateway, DNS there when the network names it, IPv6 neighbour and
/// router solicitations; nothing else, over IPv4 or IPv6, global or link-local.</item>
/// <item>A VM with rules of its own (<see cref="VmFirewallEntry"/>): its egress chain first in <c>from-N</c>, its
/// ingress chain first in <c>in-N</c>, each found by the address its port is bound to; what its egress rules allow
/// goes on through <c>allowed-N</c>, <c>allowedto-N</c> or <c>allowedll-N</c>.</item>
/// </list>
/// </remarks>
public sealed class NetworkFirewall
{
    private static readonly IPNetwork LinkLocal = IPNetwork.Parse("169.254.0.0/16");
    private readonly NetworkSpec _spec;
    private readonly HostState _host;

    public NetworkFirewall(NetworkSpec spec, HostState host)
    {
        _spec = spec;
        _host = host;
        Subnet = spec.Subnet;
        Ipv6 = spec.Ipv6;
        Chains = [.. Kinds.Select(kind => new NftChain(Inet, $"{kind}-{spec.Name}"))];
        Rules = [.. From(), .. Intra(), .. Egress(), .. Elsewhere(), .. To(), .. Policy(PolicyDirection.Ingress), .. Policy(PolicyDirection.Egress), .. ToHost(),
            .. VmAllowed("allowed", namesDestination: false, linkLocal: false), .. VmAllowed("allowedto", namesDestination: true, linkLocal: false),
            .. VmAllowed("allowedll", namesDestination: true, linkLocal: true)];
    }

    private static readonly string[] Kinds = ["from", "intra", "egress", "elsewhere", "to", "in", "out", "host", "allowed", "allowedto", "allowedll"];

    private Ipv4Network Subnet { get; }

    private Ipv6Prefix? Ipv6 { get; }

    /// <summary>The network's chains, in the order they are added (all before any rule: rules jump between them).</summary>
    public IReadOnlyList<NftChain> Chains { get; }

    public IReadOnlyList<NftRule> Rules { get; }

    /// <summary>The elements that hook the network in, by set.</summary>
    public IReadOnlyList<(NftSet Set, IReadOnlyList<NftElement> Elements)> Elements
    {
        get
        {
            // Every segment's bridge, made or not yet: a new segment then changes nothing in the firewall.
            var bridges = new[] { _spec.Bridge }.Concat(NetworkSegments.FurtherBridges(_spec.Bridge, Subnet)).Select(NftData.InterfaceName).ToList();
            var subnet = new IPNetwork(Ipv4Network.ToAddress(Subnet.Network), Subnet.PrefixLength);
            var prefix6 = Ipv6 is { } v6 ? new IPNetwork(v6.Address, v6.Length) : (IPNetwork?)null;
            var masqueraded = _host.Nat && _spec.Nat;
            List<(NftSet, IReadOnlyList<NftElement>)> elements =
            [
                (Bridges, [.. bridges.Select(b => new NftElement(b))]),
                (FromNetwork, [.. bridges.Select(b => new NftElement(b) { Verdict = NftVerdict.Jump(Chain("from").Name) })]),
                (ToNetwork, [.. bridges.Select(b => new NftElement(b) { Verdict = NftVerdict.Jump(Chain("to").Name) })]),
                (HostFromNetwork, [.. bridges.Select(b => new NftElement(b) { Verdict = NftVerdict.Jump(Chain("host").Name) })]),
                (Subnets4, NftRanges.Prefix(subnet)),
            ];
            if (prefix6 is { } p6)
            {
                elements.Add((Subnets6, NftRanges.Prefix(p6)));
            }

            if (masqueraded)
            {
                elements.Add((Nat4, NftRanges.Prefix(subnet)));
                if (prefix6 is { } n6)
                {
                    elements.Add((Nat6, NftRanges.Prefix(n6)));
                }
            }

            return elements;
        }
    }

    private static VerdictStatement Accept { get; } = new(NftVerdict.Accept);

    private static VerdictStatement Drop { get; } = new(NftVerdict.Drop);

    private static CtMatch Flowing { get; } = CtMatch.State(CtMatch.Established | CtMatch.Related);

    private NftChain Chain(string kind) => Chains.Single(c => c.Name == $"{kind}-{_spec.Name}");

    private NftRule Rule(string kind, string comment, params NftClause[] clauses) => new(Chain(kind), clauses, comment);

    private VerdictStatement Jump(string kind) => new(NftVerdict.Jump(Chain(kind).Name));

    /// <summary>
    /// The chain a VM's egress rule of <paramref name="network"/> goes to when it allows a new flow: the rest of
    /// what the network decides without its egress rules (the receiver's ingress, isolation, link-local and the
    /// host's other networks only where the rule names them), so a VM's rule is a first match before the network's.
    /// </summary>
    public static string AllowedChain(string network, PolicyRule rule)
        => (PolicyClauses.DestinationWithin(rule, LinkLocal) ? "allowedll" : PolicyClauses.NamesDestination(rule) ? "allowedto" : "allowed") + "-" + network;

    private IEnumerable<NftRule> From() =>
    [
        Rule("from", "replies", Flowing, Accept),
        Rule("from", "invalid", CtMatch.State(CtMatch.Invalid), Drop),
        .. OwnBridges().SelectMany(own => NeighbourDiscovery("from", own)),
        // A VM with rules of its own: they come first (its chain returns here when none matches).
        Rule("from", "the VM's own egress rules", new AddressVerdictMap(AddressField.Ipv4Source, VmEgress4.Name, NftFamily.Inet)),
        Rule("from", "the VM's own egress rules", new AddressVerdictMap(AddressField.Ipv6Source, VmEgress6.Name, NftFamily.Inet)),
        .. OwnBridges().Select(own => Rule("from", "to its own network", own, Jump("intra"))),
        Rule("from", "isolation", new InterfaceSetMatch(PacketDirection.Out, Bridges.Name), Drop),
        Rule("from", "out of the uplink", new InterfaceSetMatch(PacketDirection.Out, Uplink.Name), Jump("egress")),
        Rule("from", "to the host's other networks", Jump("elsewhere")),
    ];

    /// <summary>
    /// "Out of one of this network's bridges": its own bridge, and when it has further segments, a second match for
    /// all of theirs by their names' start (one rule however many segments exist; a network of one segment has the
    /// rules it had before segments).
    /// </summary>
    private IEnumerable<InterfaceMatch> OwnBridges()
        => NetworkSegments.Count(Subnet) == 1
            ? [new InterfaceMatch(PacketDirection.Out, _spec.Bridge)]
            : [new InterfaceMatch(PacketDirection.Out, _spec.Bridge), new InterfaceMatch(PacketDirection.Out, NetworkSegments.Prefix(_spec.Bridge) + "*")];

    /// <summary>Neighbour discovery between a network's VMs passes whatever the policies say (anti-spoofing vouches for it).</summary>
    private IEnumerable<NftRule> NeighbourDiscovery(string kind, params NftClause[] where)
        => Ipv6 is null
            ? []
            : [.. new[] { IcmpTypeMatch.NeighbourSolicit, IcmpTypeMatch.NeighbourAdvert }.Select(type => Rule(kind, "neighbour discovery", [.. where, IcmpTypeMatch.V6(type), Accept]))];

    private IEnumerable<NftRule> Intra() =>
    [
        Rule("intra", "sender's egress policy", Jump("out")),
        Rule("intra", "receiver's ingress policy", Jump("in")),
    ];

    /// <summary>
    /// Where a VM's egress rule sends a flow it allows: on to the receiver's ingress within the network, nowhere
    /// in another network, out of the uplink (link-local destinations only for a rule naming one), to the host's
    /// other networks only for a rule naming its destination.
    /// </summary>
    private IEnumerable<NftRule> VmAllowed(string kind, bool namesDestination, bool linkLocal)
    {
        var uplink = new InterfaceSetMatch(PacketDirection.Out, Uplink.Name);
        foreach (var own in OwnBridges())
        {
            yield return Rule(kind, "receiver's ingress policy", own, Jump("in"));
        }

        yield return Rule(kind, "isolation", new InterfaceSetMatch(PacketDirection.Out, Bridges.Name), Drop);
        if (!linkLocal)
        {
            yield return Rule(kind, "link-local", uplink, new AddressMatch(AddressField.Ipv4Destination, LinkLocal, NftFamily.Inet), Drop);
        }

        yield return Rule(kind, "out of the uplink", uplink, Accept);
        yield return Rule(kind, namesDestination ? "a rule naming its destination" : "host networks", namesDestination ? Accept : Drop);
    }

    private IEnumerable<NftRule> Egress()
    {
        foreach (var rule in EgressRules.Where(r => PolicyClauses.DestinationWithin(r, LinkLocal)))
        {
            foreach (var match in PolicyClauses.Matches(rule))
            {
                yield return new NftRule(Chain("egress"), [.. match, rule.Action == PolicyAction.Allow ? Accept : Drop], rule.Name);
            }
        }

        yield return Rule("egress", "link-local", new AddressMatch(AddressField.Ipv4Destination, LinkLocal, NftFamily.Inet), Drop);
        yield return Rule("egress", "egress policy", Jump("out"));
        yield return Rule("egress", "allowed", Accept);
    }

    private IEnumerable<NftRule> Elsewhere()
    {
        foreach (var rule in EgressRules.Where(PolicyClauses.NamesDestination))
        {
            foreach (var match in PolicyClauses.Matches(rule))
            {
                yield return new NftRule(Chain("elsewhere"), [.. match, rule.Action == PolicyAction.Allow ? Accept : Drop], rule.Name);
            }
        }

        yield return Rule("elsewhere", "host networks", Drop);
    }

    private IEnumerable<NftRule> To() =>
    [
        Rule("to", "replies", Flowing, Accept),
        Rule("to", "invalid", CtMatch.State(CtMatch.Invalid), Drop),
        Rule("to", "port forward", new InterfaceSetMatch(PacketDirection.In, Uplink.Name), CtMatch.Status(CtMatch.DestinationNat), Jump("in")),
        Rule("to", "no way in but a port forward", Drop),
    ];

    private IEnumerable<PolicyRule> EgressRules => _spec.Policies.Where(r => r.Direction == PolicyDirection.Egress);

    /// <summary>
    /// <c>in-N</c>: ingress rules, first match wins, then the default. <c>out-N</c>: egress rules, where an
    /// allowed packet returns (to the receiver's ingress, or out), a denied one is dropped, then the default.
    /// </summary>
    private IEnumerable<NftRule> Policy(PolicyDirection direction)
    {
        var ingress = direction == PolicyDirection.Ingress;
        var chain = ingress ? "in" : "out";
        if (ingress)
        {
            // A VM with rules of its own: they come first (its chain returns here when none matches).
            yield return Rule(chain, "the VM's own ingress rules", new AddressVerdictMap(AddressField.Ipv4Destination, VmIngress4.Name, NftFamily.Inet));
            yield return Rule(chain, "the VM's own ingress rules", new AddressVerdictMap(AddressField.Ipv6Destination, VmIngress6.Name, NftFamily.Inet));
        }

        foreach (var rule in _spec.Policies.Where(r => r.Direction == direction))
        {
            var verdict = rule.Action == PolicyAction.Deny ? Drop : ingress ? Accept : new VerdictStatement(NftVerdict.Return);
            foreach (var match in PolicyClauses.Matches(rule))
            {
                yield return new NftRule(Chain(chain), [.. match, verdict], rule.Name);
            }
        }

        var fallback = ingress ? _spec.DefaultIngress : _spec.DefaultEgress;
        if (ingress || fallback == PolicyAction.Deny)
        {
            yield return Rule(chain, ingress ? "default ingress" : "default egress", fallback == PolicyAction.Allow ? Accept : Drop);
        }
    }

    private IEnumerable<NftRule> ToHost()
    {
        var gateway = new IPNetwork(Ipv4Network.ToAddress(Subnet.Gateway), 32);
        yield return Rule("host", "replies", Flowing, Accept);
        yield return Rule("host", "ping the gateway", new AddressMatch(AddressField.Ipv4Destination, gateway, NftFamily.Inet), IcmpTypeMatch.V4(IcmpTypeMatch.EchoRequest), Accept);
        if (Ipv6 is { } v6)
        {
            yield return Rule("host", "ping the gateway", new AddressMatch(AddressField.Ipv6Destination, new IPNetwork(v6.Gateway, 128), NftFamily.Inet),
                IcmpTypeMatch.V6(IcmpTypeMatch.Echo6Request), Accept);
            foreach (var type in new[] { IcmpTypeMatch.NeighbourSolicit, IcmpTypeMatch.NeighbourAdvert, IcmpTypeMatch.RouterSolicit })
            {
                yield return Rule("host", "neighbour discovery", IcmpTypeMatch.V6(type), Accept);
            }
        }

        if (_spec.Dns.Contains(gateway.BaseAddress.ToString()))
        {
            foreach (var protocol in new[] { ProtocolMatch.Udp, ProtocolMatch.Tcp })
            {
                yield return Rule("host", "dns", new AddressMatch(AddressField.Ipv4Destination, gateway, NftFamily.Inet), new PortMatch(protocol, PortEnd.Destination, 53), Accept);
            }
        }

        yield return Rule("host", "host protection", Drop);
    }
}
