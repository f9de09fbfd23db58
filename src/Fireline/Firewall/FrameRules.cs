using Fireline.Addressing;
using Fireline.Linux.Nftables;
using Fireline.Linux.Nftables.Clauses;
using static Fireline.Firewall.FirewallTables;

namespace Fireline.Firewall;

/// <summary>
/// The base chains' rules. They name no network: which chain a packet goes to is decided by the interface it
/// came in on or leaves by (a bridge is a network), through the verdict maps each network adds its bridge to.
/// So a network is added or removed without touching these, and no address a guest writes into a packet can
/// choose its chain.
/// </summary>
public static class FrameRules
{
    // Before All: static initializers run in order.
    private static VerdictStatement Drop { get; } = new(NftVerdict.Drop);

    private static VerdictStatement Accept { get; } = new(NftVerdict.Accept);

    public static IReadOnlyList<NftRule> All { get; } =
    [
        // A VM subnet's source is only believed on a bridge (where anti-spoofing vouches for it): from the uplink
        // or any other interface it is forged. Before conntrack, so a forged packet never starts a flow.
        new(Guard, [new InterfaceMatch(PacketDirection.In, "lo", Negate: true), new InterfaceSetMatch(PacketDirection.In, Bridges.Name, Negate: true),
            new AddressSetMatch(AddressField.Ipv4Source, Subnets4.Name, NftFamily.Inet), Drop], "forged network source"),
        new(Guard, [new InterfaceMatch(PacketDirection.In, "lo", Negate: true), new InterfaceSetMatch(PacketDirection.In, Bridges.Name, Negate: true),
            new AddressSetMatch(AddressField.Ipv6Source, Subnets6.Name, NftFamily.Inet), Drop], "forged network source"),
        // Cluster mode: a VXLAN packet to this node's tunnel endpoint must come from the node a remote VM of that
        // network lives on (outer source . VNI . inner source MAC); anything else from the underlay is dropped before
        // the VXLAN device decapsulates it. Bridged packets (a VM's own UDP to port 4789) are not the underlay's.
        new(Guard, [new InterfaceSetMatch(PacketDirection.In, Bridges.Name, Negate: true), new AddressSetMatch(AddressField.Ipv4Destination, LocalVteps.Name, NftFamily.Inet),
            new PortMatch(ProtocolMatch.Udp, PortEnd.Destination, Linux.Rtnetlink.Vxlan.IanaPort),
            new ConcatSetMatch([NftField.Address(AddressField.Ipv4Source), NftField.VxlanNetworkId, NftField.VxlanInnerEtherSource], VxlanSources.Name, Negate: true), Drop],
            "vxlan source"),
        new(Prerouting, [new InterfaceSetMatch(PacketDirection.In, Uplink.Name), new FibLocalMatch(), new DestinationNatMapStatement(PortForwards.Name)], "port forwards"),
        new(Postrouting, [new InterfaceSetMatch(PacketDirection.Out, Uplink.Name), new AddressSetMatch(AddressField.Ipv4Source, Nat4.Name, NftFamily.Inet),
            new MasqueradeStatement()], "nat"),
        new(Postrouting, [new InterfaceSetMatch(PacketDirection.Out, Uplink.Name), new AddressSetMatch(AddressField.Ipv6Source, Nat6.Name, NftFamily.Inet),
            new MasqueradeStatement()], "nat"),
        // Bridged packets between two VMs pass here too (br_netfilter), with the bridge as both interfaces.
        new(Forward, [new InterfaceVerdictMap(PacketDirection.In, FromNetwork.Name)], "from a network"),
        new(Forward, [new InterfaceVerdictMap(PacketDirection.Out, ToNetwork.Name)], "to a network"),
        new(Input, [new InterfaceVerdictMap(PacketDirection.In, HostFromNetwork.Name)], "from a network to the host"),
        .. AntiSpoofing(),
        .. DestinationBinding(),
        // Cluster mode: VXLAN adds 50 bytes of outer headers, so on a 1500-byte underlay a full guest frame does not fit:
        // SYNs leaving by a VXLAN port offer at most 1500 - 50 - 40, so TCP across nodes never sends a segment the
        // underlay would have to fragment or refuse (each node clamps the SYNs it sends, both directions covered):
        // bridged from a VM, or routed by the host from another segment of the network (the bridge's output).
        .. new[] { BridgeForward, BridgeOutput }.Select(chain => new NftRule(chain, [new InterfaceMatch(PacketDirection.Out, VmAddressing.VxlanPrefix + "*"), new MssClampStatement(VxlanMss)], "mss clamp")),
    ];

    /// <summary>The MSS TCP may use through a VXLAN tunnel over a 1500-byte underlay: 1500 less VXLAN's 50 bytes, less the IPv4 and TCP headers.</summary>
    public const ushort VxlanMss = 1500 - 50 - 40;

    /// <summary>
    /// A frame bridged to a VM's port that names some VM's address as its destination must be that VM's own frame
    /// (its port, MAC and address together): no guest can address a packet to one VM and deliver it to another, so
    /// the inet chains may judge a bridged packet by the receiving VM's rules, found by its destination address.
    /// </summary>
    private static IEnumerable<NftRule> DestinationBinding()
    {
        var port = NftField.OutputInterfaceName;
        var mac = NftField.EtherDestination;
        var toVm = new InterfaceMatch(PacketDirection.Out, VmAddressing.HostVethPrefix + "*");
        return
        [
            new(BridgeForward, [toVm, new AddressSetMatch(AddressField.Ipv4Destination, VmAddresses4.Name, NftFamily.Bridge),
                new ConcatSetMatch([port, mac, NftField.Address(AddressField.Ipv4Destination)], VmIpv4.Name, Negate: true), Drop], "destination binding"),
            new(BridgeForward, [toVm, new AddressSetMatch(AddressField.Ipv6Destination, VmAddresses6.Name, NftFamily.Bridge),
                new ConcatSetMatch([port, mac, NftField.Address(AddressField.Ipv6Destination)], VmIpv6.Name, Negate: true), Drop], "destination binding"),
        ];
    }

    /// <summary>
    /// Every frame a VM sends carries its own MAC, and its IPv4, ARP and IPv6 packets its own addresses (which no other
    /// port may send from); DHCP and
    /// DHCPv6 server replies and router advertisements from guests are dropped; a neighbour advertisement names
    /// only the sender's own address, and a duplicate-address probe only asks for it. Everything else a VM sends
    /// (other ethertypes) is dropped. Frames from ports that are not VMs' pass untouched.
    /// </summary>
    private static IEnumerable<NftRule> AntiSpoofing()
    {
        var port = NftField.InputInterfaceName;
        var mac = NftField.EtherSource;
        var notVm = new InterfaceMatch(PacketDirection.In, VmAddressing.HostVethPrefix + "*", Negate: true);
        var tunnel = new InterfaceMatch(PacketDirection.In, VmAddressing.VxlanPrefix + "*");
        NftClause[][] rules =
        [
            // A network's VXLAN port (cluster mode) speaks only for the remote VMs of that network, each with its own
            // MAC, IPv4 and IPv6 addresses as the endpoints in etcd say (the sending node checked its own port; this
            // checks the tunnel again, with the same rules a VM's port has). Other ethertypes do not cross nodes.
            [tunnel, new ConcatSetMatch([port, mac], RemoteMacs.Name, Negate: true), Drop],
            [tunnel, new EtherTypeMatch(EtherTypeMatch.Arp), new ConcatSetMatch([port, NftField.ArpSenderEther, NftField.ArpSenderIp], RemoteIpv4.Name, Negate: true), Drop],
            [tunnel, new EtherTypeMatch(EtherTypeMatch.Arp), Accept],
            [tunnel, new EtherTypeMatch(EtherTypeMatch.Ipv4), new ConcatSetMatch([port, mac, NftField.Address(AddressField.Ipv4Source)], RemoteIpv4.Name, Negate: true), Drop],
            [tunnel, new EtherTypeMatch(EtherTypeMatch.Ipv4), new PortMatch(ProtocolMatch.Udp, PortEnd.Source, 67), Drop],
            [tunnel, new EtherTypeMatch(EtherTypeMatch.Ipv4), Accept],
            .. Ipv6Rules(RemoteIpv6.Name).Select(rule => (NftClause[])[tunnel, .. rule]),
            [tunnel, Drop],
            // A port that is not a VM's (an uplink joined to a bridge) never speaks for a VM.
            [notVm, new AddressSetMatch(AddressField.Ipv4Source, VmAddresses4.Name, NftFamily.Bridge), Drop],
            [notVm, new AddressSetMatch(AddressField.Ipv6Source, VmAddresses6.Name, NftFamily.Bridge), Drop],
            [notVm, Accept],
            [new ConcatSetMatch([port, mac], VmMacs.Name, Negate: true), Drop],
            [new EtherTypeMatch(EtherTypeMatch.Arp), new ConcatSetMatch([port, NftField.ArpSenderEther, NftField.ArpSenderIp], VmIpv4.Name, Negate: true), Drop],
            [new EtherTypeMatch(EtherTypeMatch.Arp), Accept],
            [new EtherTypeMatch(EtherTypeMatch.Ipv4), new ConcatSetMatch([port, mac, NftField.Address(AddressField.Ipv4Source)], VmIpv4.Name, Negate: true), Drop],
            [new EtherTypeMatch(EtherTypeMatch.Ipv4), new PortMatch(ProtocolMatch.Udp, PortEnd.Source, 67), Drop],
            [new EtherTypeMatch(EtherTypeMatch.Ipv4), Accept],
            .. Ipv6Rules(VmIpv6.Name, VmNeighbourTargets.Name),
            [Drop],
        ];
        return rules.Select(clauses => new NftRule(BridgePrerouting, clauses, "anti-spoofing"));
    }

    /// <summary>
    /// What a port may send over IPv6, by the set of its (port, MAC, address) triples it may send from
    /// (<paramref name="sources"/>) and name as a neighbour (<paramref name="targets"/>): no router advertisement nor
    /// DHCPv6 server reply; a duplicate-address probe only for its own address; its own source address; a neighbour
    /// advertisement only for its own address. A VM's port and a VXLAN port (for the remote VMs) alike.
    /// </summary>
    private static IEnumerable<NftClause[]> Ipv6Rules(string sources, string? targets = null)
    {
        var port = NftField.InputInterfaceName;
        var mac = NftField.EtherSource;
        targets ??= sources;
        return
        [
            [new EtherTypeMatch(EtherTypeMatch.Ipv6), IcmpTypeMatch.V6(IcmpTypeMatch.RouterAdvert), Drop],
            [new EtherTypeMatch(EtherTypeMatch.Ipv6), new PortMatch(ProtocolMatch.Udp, PortEnd.Source, 547), Drop],
            // Duplicate-address detection: a solicitation from the unspecified address, for the sender's own address only.
            [new AddressMatch(AddressField.Ipv6Source, new System.Net.IPNetwork(System.Net.IPAddress.IPv6Any, 128), NftFamily.Bridge),
                IcmpTypeMatch.V6(IcmpTypeMatch.NeighbourSolicit), new ConcatSetMatch([port, mac, NftField.NeighbourTarget], targets), Accept],
            [new EtherTypeMatch(EtherTypeMatch.Ipv6), new ConcatSetMatch([port, mac, NftField.Address(AddressField.Ipv6Source)], sources, Negate: true), Drop],
            [new EtherTypeMatch(EtherTypeMatch.Ipv6), IcmpTypeMatch.V6(IcmpTypeMatch.NeighbourAdvert),
                new ConcatSetMatch([port, mac, NftField.NeighbourTarget], targets, Negate: true), Drop],
            [new EtherTypeMatch(EtherTypeMatch.Ipv6), Accept],
        ];
    }
}
