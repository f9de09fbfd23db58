using Fireline.Linux.Nftables;

namespace Fireline.Firewall;

/// <summary>
/// Fireline's two tables in the host namespace, their named sets and maps, and their base chains: the frame that
/// every network's chains and every VM's elements hang in. Fireline never writes into anybody else's table.
/// </summary>
public static class FirewallTables
{
    public static NftTable Inet { get; } = new(NftFamily.Inet, "fireline");

    public static NftTable Bridge { get; } = new(NftFamily.Bridge, "fireline");

    // inet: which interfaces are Fireline's, and where each network's packets go.

    /// <summary>Every network's bridge: the interfaces VM traffic arrives on and leaves by.</summary>
    public static NftSet Bridges { get; } = new(Inet, "bridges", NftDataType.InterfaceName);

    /// <summary>The host's uplink (none, or one element): where NAT and port forwards happen.</summary>
    public static NftSet Uplink { get; } = new(Inet, "uplink", NftDataType.InterfaceName);

    /// <summary>Bridge → the chain for new flows a network's VMs start.</summary>
    public static NftSet FromNetwork { get; } = new(Inet, "from_network", NftDataType.InterfaceName) { VerdictMap = true };

    /// <summary>Bridge → the chain for new flows towards a network's VMs from anywhere else.</summary>
    public static NftSet ToNetwork { get; } = new(Inet, "to_network", NftDataType.InterfaceName) { VerdictMap = true };

    /// <summary>Bridge → the chain for what a network's VMs send to the host itself.</summary>
    public static NftSet HostFromNetwork { get; } = new(Inet, "host_from_network", NftDataType.InterfaceName) { VerdictMap = true };

    /// <summary>
    /// A VM's address → its own ingress chain (VMs with rules of their own only). The address is the one anti-spoofing
    /// binds to the VM's port, or the one the uplink's DNAT wrote: never one a sender merely claims.
    /// </summary>
    public static NftSet VmIngress4 { get; } = new(Inet, "vm_in4", NftDataType.Ipv4Address) { VerdictMap = true };

    public static NftSet VmIngress6 { get; } = new(Inet, "vm_in6", NftDataType.Ipv6Address) { VerdictMap = true };

    /// <summary>A VM's address → its own egress chain: new flows from a network's bridge, whose source anti-spoofing vouched for.</summary>
    public static NftSet VmEgress4 { get; } = new(Inet, "vm_out4", NftDataType.Ipv4Address) { VerdictMap = true };

    public static NftSet VmEgress6 { get; } = new(Inet, "vm_out6", NftDataType.Ipv6Address) { VerdictMap = true };

    /// <summary>Every network's IPv4 subnet: sources no packet from any other interface may claim.</summary>
    public static NftSet Subnets4 { get; } = new(Inet, "subnets4", NftDataType.Ipv4Address) { Interval = true };

    public static NftSet Subnets6 { get; } = new(Inet, "subnets6", NftDataType.Ipv6Address) { Interval = true };

    /// <summary>The subnets masqueraded out of the uplink.</summary>
    public static NftSet Nat4 { get; } = new(Inet, "nat4", NftDataType.Ipv4Address) { Interval = true };

    public static NftSet Nat6 { get; } = new(Inet, "nat6", NftDataType.Ipv6Address) { Interval = true };

    /// <summary>Port forwards: protocol . host port → VM address . VM port.</summary>
    public static NftSet PortForwards { get; } = new(Inet, "port_forwards", NftDataType.Concat(NftDataType.InetProtocol, NftDataType.InetService))
    {
        Data = NftDataType.Concat(NftDataType.Ipv4Address, NftDataType.InetService),
    };

    // bridge: anti-spoofing, one element per VM and address.

    /// <summary>VM port . MAC: the only source MAC each VM port may send.</summary>
    public static NftSet VmMacs { get; } = new(Bridge, "vm_macs", NftDataType.Concat(NftDataType.InterfaceName, NftDataType.EtherAddress));

    /// <summary>VM port . MAC . IPv4: the only IPv4 (and ARP sender) address each VM may send from.</summary>
    public static NftSet VmIpv4 { get; } = new(Bridge, "vm_ipv4", NftDataType.Concat(NftDataType.InterfaceName, NftDataType.EtherAddress, NftDataType.Ipv4Address));

    /// <summary>VM port . MAC . IPv6: the IPv6 addresses a dual-stack VM may send from (its own and its link-local).</summary>
    public static NftSet VmIpv6 { get; } = new(Bridge, "vm_ipv6", NftDataType.Concat(NftDataType.InterfaceName, NftDataType.EtherAddress, NftDataType.Ipv6Address));

    /// <summary>VM port . MAC . target: the addresses a VM may advertise (and probe for) in neighbour discovery.</summary>
    public static NftSet VmNeighbourTargets { get; } = new(Bridge, "vm_nd6", NftDataType.Concat(NftDataType.InterfaceName, NftDataType.EtherAddress, NftDataType.Ipv6Address));

    // Cluster mode (empty on a single host): the VXLAN traffic this node accepts from the underlay.

    /// <summary>This node's tunnel endpoint (its underlay address): VXLAN packets to it are checked against <see cref="VxlanSources"/>.</summary>
    public static NftSet LocalVteps { get; } = new(Inet, "local_vteps", NftDataType.Ipv4Address);

    /// <summary>
    /// Remote tunnel endpoint . VNI (shifted, see <see cref="Linux.Nftables.Clauses.NftField.VxlanNetworkId"/>) . inner
    /// source MAC: one element per remote VM, so a packet is accepted only from the node the VM lives on, in its network.
    /// </summary>
    public static NftSet VxlanSources { get; } = new(Inet, "vxlan_sources", NftDataType.Concat(NftDataType.Ipv4Address, NftDataType.Integer(4), NftDataType.EtherAddress));

    public static IReadOnlyList<NftSet> InetSets { get; } =
        [Bridges, Uplink, FromNetwork, ToNetwork, HostFromNetwork, VmIngress4, VmIngress6, VmEgress4, VmEgress6, Subnets4, Subnets6, Nat4, Nat6, PortForwards,
            LocalVteps, VxlanSources];

    /// <summary>The inet maps that hold one VM's elements (a VM with rules of its own), not a network's.</summary>
    public static IReadOnlyList<NftSet> VmPolicyMaps { get; } = [VmIngress4, VmIngress6, VmEgress4, VmEgress6];

    /// <summary>
    /// Every VM's addresses (IPv4; IPv6 and link-local): a frame bridged to a VM's port may carry one of them as its
    /// destination only when it is that VM's, and no port but a VM's may send from one. So an address names the VM
    /// on the port a packet came in on or leaves by, and the per-VM maps may be keyed by it.
    /// </summary>
    public static NftSet VmAddresses4 { get; } = new(Bridge, "vm_addr4", NftDataType.Ipv4Address);

    public static NftSet VmAddresses6 { get; } = new(Bridge, "vm_addr6", NftDataType.Ipv6Address);

    /// <summary>VXLAN port . MAC: the remote VMs' MACs a network's VXLAN port may bring in (cluster mode).</summary>
    public static NftSet RemoteMacs { get; } = new(Bridge, "remote_macs", NftDataType.Concat(NftDataType.InterfaceName, NftDataType.EtherAddress));

    /// <summary>VXLAN port . MAC . IPv4: each remote VM's one address, bound to its MAC, on its network's VXLAN port.</summary>
    public static NftSet RemoteIpv4 { get; } = new(Bridge, "remote_ipv4", NftDataType.Concat(NftDataType.InterfaceName, NftDataType.EtherAddress, NftDataType.Ipv4Address));

    /// <summary>
    /// VXLAN port . MAC . IPv6: each remote VM's addresses in a dual-stack network (derived from its IPv4 address and
    /// the network's prefix, and its link-local one from its MAC), bound to its MAC, on its segment's VXLAN port.
    /// </summary>
    public static NftSet RemoteIpv6 { get; } = new(Bridge, "remote_ipv6", NftDataType.Concat(NftDataType.InterfaceName, NftDataType.EtherAddress, NftDataType.Ipv6Address));

    public static IReadOnlyList<NftSet> BridgeSets { get; } = [VmMacs, VmIpv4, VmIpv6, VmNeighbourTargets, VmAddresses4, VmAddresses6, RemoteMacs, RemoteIpv4, RemoteIpv6];

    /// <summary>The sets the cluster's data path fills (<see cref="HostFirewall.SyncRemote"/>), which no VM record claims.</summary>
    public static IReadOnlyList<NftSet> RemoteSets { get; } = [LocalVteps, VxlanSources, RemoteMacs, RemoteIpv4, RemoteIpv6];

    // Base chains.

    /// <summary>Before conntrack: drops packets from elsewhere that claim a VM subnet's source.</summary>
    public static NftChain Guard { get; } = new(Inet, "guard", new NftBaseChain(NftChainType.Filter, NftHook.Prerouting, NftBaseChain.RawPriority));

    public static NftChain Prerouting { get; } = new(Inet, "prerouting", new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, NftBaseChain.DestinationNatPriority));

    public static NftChain Postrouting { get; } = new(Inet, "postrouting", new NftBaseChain(NftChainType.Nat, NftHook.Postrouting, NftBaseChain.SourceNatPriority));

    public static NftChain Forward { get; } = new(Inet, "forward", new NftBaseChain(NftChainType.Filter, NftHook.Forward, NftBaseChain.FilterPriority));

    public static NftChain Input { get; } = new(Inet, "input", new NftBaseChain(NftChainType.Filter, NftHook.Input, NftBaseChain.FilterPriority));

    /// <summary>Anti-spoofing on every VM port, before the bridge forwards a frame anywhere.</summary>
    public static NftChain BridgePrerouting { get; } = new(Bridge, "prerouting", new NftBaseChain(NftChainType.Filter, NftHook.Prerouting, NftBaseChain.BridgeFilterPriority));

    /// <summary>Frames one VM sends another, once the bridge chose the port (before br_netfilter's inet forward hook, at 0).</summary>
    public static NftChain BridgeForward { get; } = new(Bridge, "forward", new NftBaseChain(NftChainType.Filter, NftHook.Forward, NftBaseChain.BridgeFilterPriority));

    /// <summary>Frames the host itself sends out of a bridge's port: what it routed, e.g. between a network's segments.</summary>
    public static NftChain BridgeOutput { get; } = new(Bridge, "output", new NftBaseChain(NftChainType.Filter, NftHook.Output, NftBaseChain.BridgeFilterPriority));

    public static IReadOnlyList<NftChain> BaseChains { get; } = [Guard, Prerouting, Postrouting, Forward, Input, BridgePrerouting, BridgeForward, BridgeOutput];
}
