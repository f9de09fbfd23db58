using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Fireline.Addressing;
using Fireline.Firewall;
using Fireline.Host;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Nftables;
using Fireline.Linux.Rtnetlink;
using Fireline.Ownership;
using Fireline.State;
using static Fireline.Firewall.FirewallTables;

namespace Fireline.Cluster;

/// <summary>
/// The cross-node data path of a cluster node, converged on the cluster's endpoints. Each segment of a network
/// (<see cref="NetworkSegments"/>) is one L2 segment across the fleet, with a VNI of its own (<see cref="NetworkIds"/>;
/// segment 0's is the network's): for every network that has a VM of this node among them, each segment that holds a
/// VM of this node or a remote one gets a VXLAN device <c>vx-VNI</c> (no learning, this node's underlay address as its
/// source, port 4789, this instance's mark) on that segment's bridge (made through the host's segment path when only a
/// remote VM needs it: the host routes to it), as a port that neither learns nor answers ARP itself
/// (<c>neigh_suppress</c>: the bridge answers from the neighbour entries below). For each remote VM: a static FDB entry
/// on its segment's device (its MAC → its node's underlay address), one on that segment's bridge (its MAC → the VXLAN
/// port), permanent neighbour entries on that bridge (its IPv4 → its MAC: the ARP answer, and where the host routes
/// it from other segments; in a dual-stack network its IPv6 addresses too, derived from its IPv4 address and MAC),
/// and the firewall's elements that let its frames in (<see cref="FirewallTables.RemoteSets"/>);
/// broadcast and unknown frames go only to the nodes that have VMs in the network (one all-zeros FDB entry each).
/// Between segments the host routes, on the sending node, so such frames cross the tunnel with the gateway's MAC (the
/// same on every node) as their source, and the firewall lets that MAC in on a segment's device only with the address
/// of a remote VM of another segment of the network. Everything else of a VXLAN device, and every device of a segment
/// no longer wanted, is removed.
/// </summary>
public sealed class ClusterDatapath(HostKernel kernel, IStateStore store, HostDatapath host, HostFirewall firewall, InstanceMark mark, ClusterOptions options)
{
    private readonly Lock _lock = new();

    private string DeviceMark => mark.Text + ":vxlan";

    public static string DeviceName(int vni) => VmAddressing.VxlanPrefix + vni.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Makes the kernel hold exactly what <paramref name="endpoints"/> call for (idempotent; one caller at a time).
    /// <paramref name="vniOf"/> gives a network's segment's VNI (it may ask etcd once per segment; all are asked before
    /// anything changes).
    /// </summary>
    public void Converge(IReadOnlyList<ClusterEndpoint> endpoints, Func<string, int, int> vniOf)
    {
        lock (_lock)
        {
            if (!firewall.IsPresent())
            {
                return; // the host is not set up yet (host init makes the tables): nothing can carry a VM's traffic
            }

            var specs = store.ListNetworks().ToDictionary(n => n.Spec.Name, n => n.Spec, StringComparer.Ordinal);
            var vnis = new Dictionary<(string, int), int>();
            int Vni(string network, int segment) => vnis.TryGetValue((network, segment), out var known) ? known : vnis[(network, segment)] = vniOf(network, segment);
            int SegmentOf(ClusterEndpoint e) => NetworkSegments.Of(specs[e.Network].Subnet, Ipv4Network.ToUInt32(e.Ipv4));

            // The networks this node materialises: its own VMs' that it still defines.
            var own = endpoints.Where(e => e.Node == options.Node && specs.TryGetValue(e.Network, out var spec) && IsVmAddress(spec.Subnet, e)).ToList();
            var networks = own.Select(e => e.Network).ToHashSet(StringComparer.Ordinal);
            // A remote endpoint is believed only for a VM address of its network that is not the gateway (by address or
            // MAC: every segment bridge's) nor one of this node's VMs (by address or MAC, as its state has them: also those
            // it does not publish, whose block another node took while it was gone), with the VNI of its address's
            // segment: whatever another node writes in etcd, it cannot take over a local address nor speak on another segment.
            var localIps = store.ListVms().Select(v => v.Address).ToHashSet();
            var localMacs = localIps.Select(VmAddressing.GuestMac).ToHashSet();
            var remote = endpoints.Where(e => e.Node != options.Node && networks.Contains(e.Network) && !e.Underlay.Equals(options.UnderlayAddress) &&
                                              IsVmAddress(specs[e.Network].Subnet, e) && !localIps.Contains(Ipv4Network.ToUInt32(e.Ipv4)) && !localMacs.Contains(e.Mac) &&
                                              Vni(e.Network, SegmentOf(e)) == e.Vni).ToList();
            var segments = own.Concat(remote).Select(e => (Spec: specs[e.Network], Index: SegmentOf(e))).Distinct()
                .Select(s => new Segment(s.Spec, s.Index, Vni(s.Spec.Name, s.Index), [.. remote.Where(e => e.Network == s.Spec.Name && SegmentOf(e) == s.Index)])).ToList();
            firewall.SyncRemote(
            [
                (LocalVteps, [new NftElement(NftData.Address(options.UnderlayAddress))]),
                (VxlanSources, [.. remote.Select(e => (e.Underlay, e.Vni, e.Mac))
                    .Concat(Routed(segments).SelectMany(s => remote.Where(e => e.Network == s.Spec.Name).Select(e => e.Underlay).Distinct().Select(u => (Underlay: u, s.Vni, Mac: s.GatewayMac))))
                    .Select(t => new NftElement(NftData.Concat(NftData.Address(t.Underlay), VniBytes(t.Vni), t.Mac.ToBytes())))]),
                (RemoteMacs, [.. remote.Select(e => (e.Vni, e.Mac)).Concat(Routed(segments).Select(s => (s.Vni, Mac: s.GatewayMac)))
                    .Select(t => new NftElement(NftData.Concat(NftData.InterfaceName(DeviceName(t.Vni)), t.Mac.ToBytes())))]),
                (RemoteIpv4, [.. remote.Select(e => (e.Vni, e.Mac, e.Ipv4))
                    .Concat(Routed(segments).SelectMany(s => remote.Where(e => e.Network == s.Spec.Name && SegmentOf(e) != s.Index).Select(e => (s.Vni, Mac: s.GatewayMac, e.Ipv4))))
                    .Select(t => new NftElement(NftData.Concat(NftData.InterfaceName(DeviceName(t.Vni)), t.Mac.ToBytes(), NftData.Address(t.Ipv4))))]),
                (RemoteIpv6, [.. remote.SelectMany(e => Ipv6Of(specs[e.Network], e).Select(a => new NftElement(NftData.Concat(NftData.InterfaceName(DeviceName(e.Vni)), e.Mac.ToBytes(), NftData.Address(a)))))]),
            ]);
            // Each segment's bridge through the host's own path (intent and mark first, route, proxy ARP), also one only
            // a remote VM needs: the host routes to it from this node's other segments.
            var bridges = segments.Select(s => host.SegmentBridge(s.Spec, Ipv4Network.ToUInt32(NetworkSegments.Block(s.Spec.Subnet, s.Index).BaseAddress))).ToList();
            kernel.Rtnl(rtnl =>
            {
                var links = rtnl.Links.List();
                var wanted = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (segment, index) in segments.Zip(bridges).Where(p => p.Second is not null))
                {
                    var device = EnsureDevice(rtnl, links, DeviceName(segment.Vni), segment.Vni, index!.Value);
                    wanted.Add(device.Name);
                    ConvergeFdb(rtnl, device, segment.Members);
                }

                // Every bridge of every network this node has holds the neighbour entries of its segment's remote VMs, and no others.
                var byName = links.ToDictionary(l => l.Name, StringComparer.Ordinal);
                foreach (var spec in specs.Values)
                {
                    for (var index = 0; index < NetworkSegments.Count(spec.Subnet); index++)
                    {
                        if (byName.GetValueOrDefault(NetworkSegments.Bridge(spec.Bridge, index)) is { } bridge && mark.Judge(bridge, "bridge") == Owner.Ours)
                        {
                            ConvergeNeighbours(rtnl, bridge, spec, segments.FirstOrDefault(s => s.Spec.Name == spec.Name && s.Index == index)?.Members ?? []);
                        }
                    }
                }

                foreach (var stale in links.Where(l => l.Name.StartsWith(VmAddressing.VxlanPrefix, StringComparison.Ordinal) && !wanted.Contains(l.Name) &&
                                                       mark.Judge(l, "vxlan") == Owner.Ours))
                {
                    rtnl.Links.DeleteIfExists(stale.Name);
                }
            });
        }
    }

    /// <summary>One segment of a network this node carries across nodes: its VNI and the remote VMs in it.</summary>
    private sealed record Segment(NetworkSpec Spec, int Index, int Vni, IReadOnlyList<ClusterEndpoint> Members)
    {
        /// <summary>The gateway's MAC, every segment bridge's on every node: the source of what a host routes into the segment.</summary>
        public MacAddress GatewayMac => VmAddressing.GuestMac(Spec.Subnet.Gateway);
    }

    /// <summary>The segments of networks of several segments: only there does a host route between segments.</summary>
    private static IEnumerable<Segment> Routed(IEnumerable<Segment> segments) => segments.Where(s => NetworkSegments.Count(s.Spec.Subnet) > 1);

    /// <summary>The device, made or repaired: on the bridge, up, a port that neither learns nor answers ARP itself.</summary>
    private Link EnsureDevice(Rtnl rtnl, IReadOnlyList<Link> links, string name, int vni, int bridge)
    {
        var device = links.FirstOrDefault(l => l.Name == name);
        if (device is not null && mark.Judge(device, "vxlan") != Owner.Ours)
        {
            throw ClusterErrors.DeviceInUse(name);
        }

        if (device is null)
        {
            rtnl.Links.Create(new LinkSpec(name, new Vxlan(vni) { Local = options.UnderlayAddress, Learning = false })
            {
                MasterIndex = bridge,
                Up = true,
                Alias = DeviceMark,
            });
        }
        else if (device.MasterIndex != bridge || !device.IsUp)
        {
            rtnl.Links.SetMaster(name, bridge);
            rtnl.Links.SetUp(name);
        }

        rtnl.Links.SetBridgePort(name, learning: false, neighSuppress: true);
        return rtnl.Links.Get(name);
    }

    /// <summary>
    /// The device's own table: each remote MAC → its node, all-zeros → every member node; the bridge's: each remote
    /// MAC → the VXLAN port. Entries the kernel made for the device itself (its own MAC, NUD_PERMANENT) stay.
    /// </summary>
    private static void ConvergeFdb(Rtnl rtnl, Link device, IReadOnlyList<ClusterEndpoint> members)
    {
        var present = rtnl.Fdb.List(device.Index);
        var tunnel = members.Select(e => (e.Mac, e.Underlay))
            .Concat(members.Select(e => e.Underlay).Distinct().Select(u => (Mac: FdbEntry.AllZeros, Underlay: u)))
            .Select(t => new FdbEntry(device.Index, t.Mac, FdbTable.Device) { Destination = t.Underlay }).ToList();
        var bridged = members.Select(e => new FdbEntry(device.Index, e.Mac, FdbTable.Bridge)).ToList();
        var old = present.Where(p => p.Table == FdbTable.Device || (p.State & NeighbourState.NoArp) != 0).ToList();
        foreach (var extra in old.Where(p => !tunnel.Concat(bridged).Any(w => Same(w, p))))
        {
            Tolerant(() => rtnl.Fdb.Delete(extra));
        }

        foreach (var missing in tunnel.Concat(bridged).Where(w => !old.Any(p => Same(w, p))))
        {
            if (missing.Mac == FdbEntry.AllZeros)
            {
                rtnl.Fdb.Append(missing);
            }
            else
            {
                rtnl.Fdb.Replace(missing);
            }
        }
    }

    /// <summary>
    /// Permanent neighbour entries on the bridge for the remote VMs, IPv4 and (dual stack) IPv6 (the ARP and neighbour
    /// discovery answers <c>neigh_suppress</c> gives), and no others in the network's addresses or link-local ones.
    /// </summary>
    private static void ConvergeNeighbours(Rtnl rtnl, Link bridge, NetworkSpec spec, IReadOnlyList<ClusterEndpoint> members)
    {
        var wanted = members.SelectMany(e => Ipv6Of(spec, e).Prepend(e.Ipv4).Select(address => (Address: address, e.Mac))).ToList();
        var prefix = spec.Ipv6 is { } v6 ? new IPNetwork(v6.Address, v6.Length) : (IPNetwork?)null;
        var present = rtnl.Neighbours.List(bridge.Index, AddressFamily.InterNetwork).Concat(rtnl.Neighbours.List(bridge.Index, AddressFamily.InterNetworkV6))
            .Where(n => n.State == NeighbourState.Permanent && (n.Address.AddressFamily == AddressFamily.InterNetwork
                ? spec.Subnet.Contains(Ipv4Network.ToUInt32(n.Address))
                : n.Address.IsIPv6LinkLocal || prefix?.Contains(n.Address) == true)).ToList();
        foreach (var extra in present.Where(n => !wanted.Any(w => w.Address.Equals(n.Address) && w.Mac == n.LinkLayerAddress)))
        {
            rtnl.Neighbours.DeleteIfExists(new Neighbour(bridge.Index, extra.Address));
        }

        foreach (var (address, mac) in wanted.Where(w => !present.Any(n => w.Address.Equals(n.Address) && w.Mac == n.LinkLayerAddress)))
        {
            rtnl.Neighbours.Replace(new Neighbour(bridge.Index, address) { LinkLayerAddress = mac });
        }
    }

    /// <summary>
    /// A remote VM's IPv6 addresses in a dual-stack network, derived as its node derives them: the prefix with its IPv4
    /// address as the last 32 bits, and the link-local one from its MAC (none when the network has no prefix).
    /// </summary>
    private static IEnumerable<IPAddress> Ipv6Of(NetworkSpec spec, ClusterEndpoint endpoint)
        => spec.Ipv6 is { } prefix ? [prefix.VmAddress(Ipv4Network.ToUInt32(endpoint.Ipv4)), Ipv6Prefix.LinkLocal(endpoint.Mac)] : [];

    /// <summary>An address the network can give a VM (in one of its segments), with a MAC that is not the gateway's.</summary>
    private static bool IsVmAddress(Ipv4Network subnet, ClusterEndpoint endpoint)
        => Ipv4Network.ToUInt32(endpoint.Ipv4) is var address && address >= subnet.FirstVmAddress && address <= NetworkSegments.LastVmAddress(subnet) &&
           endpoint.Mac != VmAddressing.GuestMac(subnet.Gateway);

    private static bool Same(FdbEntry a, FdbEntry b) => a.Table == b.Table && a.Mac == b.Mac && Equals(a.Destination, b.Destination);

    /// <summary>The VNI as the underlay rule loads it: three bytes, then VXLAN's reserved byte (zero).</summary>
    private static byte[] VniBytes(int vni)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)vni << 8);
        return bytes;
    }

    /// <summary>A delete that found nothing left the state wanted.</summary>
    private static void Tolerant(Action delete)
    {
        try
        {
            delete();
        }
        catch (KernelObjectNotFoundException)
        {
            // already gone
        }
    }
}
