using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Fireline.Addressing;
using Fireline.Firewall;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Nftables;
using Fireline.Linux.Rtnetlink;
using Fireline.Ownership;
using Fireline.State;
using static Fireline.Firewall.FirewallTables;

namespace Fireline.Cluster;

/// <summary>
/// The cross-node data path of a cluster node, converged on the cluster's endpoints: every network that has a VM of
/// this node among them gets a VXLAN device <c>vx-VNI</c> (no learning, this node's underlay address as its source,
/// port 4789, this instance's mark) on its bridge, as a port that neither learns nor answers ARP itself
/// (<c>neigh_suppress</c>: the bridge answers from the neighbour entries below). For each remote VM of such a network:
/// a static FDB entry on the device (its MAC → its node's underlay address), one on the bridge (its MAC → the VXLAN
/// port), a permanent neighbour entry on the bridge (its IPv4 → its MAC), and the firewall's elements that let its
/// frames in (<see cref="FirewallTables.RemoteSets"/>); broadcast and unknown frames go only to the nodes that have
/// VMs in the network (one all-zeros FDB entry each). Everything else of a VXLAN device, and every device of a network
/// this node no longer has VMs in, is removed.
/// </summary>
public sealed class ClusterDatapath(HostKernel kernel, IStateStore store, HostFirewall firewall, InstanceMark mark, ClusterOptions options)
{
    private readonly Lock _lock = new();

    private string DeviceMark => mark.Text + ":vxlan";

    public static string DeviceName(int vni) => VmAddressing.VxlanPrefix + vni.ToString(CultureInfo.InvariantCulture);

    /// <summary>Makes the kernel hold exactly what <paramref name="endpoints"/> call for (idempotent; one caller at a time).</summary>
    public void Converge(IReadOnlyList<ClusterEndpoint> endpoints)
    {
        lock (_lock)
        {
            if (!firewall.IsPresent())
            {
                return; // the host is not set up yet (host init makes the tables): nothing can carry a VM's traffic
            }

            var specs = store.ListNetworks().ToDictionary(n => n.Spec.Name, n => n.Spec, StringComparer.Ordinal);
            // The networks this node materialises: its own VMs' (with the VNI they were published with) that it still defines.
            var vnis = endpoints.Where(e => e.Node == options.Node && specs.ContainsKey(e.Network))
                .GroupBy(e => e.Network, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Vni, StringComparer.Ordinal);
            // A remote endpoint is believed only for a VM address of its network that is not the gateway nor one of this
            // node's VMs (by address or MAC, as its state has them: also those it does not publish, whose block another
            // node took while it was gone): whatever another node writes in etcd, it cannot take over a local address.
            var localIps = store.ListVms().Select(v => v.Address).ToHashSet();
            var localMacs = localIps.Select(VmAddressing.GuestMac).ToHashSet();
            var remote = endpoints.Where(e => e.Node != options.Node && vnis.GetValueOrDefault(e.Network) == e.Vni && !e.Underlay.Equals(options.UnderlayAddress) &&
                                              IsRemoteVmAddress(specs[e.Network].Subnet, e) && !localIps.Contains(Ipv4Network.ToUInt32(e.Ipv4)) && !localMacs.Contains(e.Mac)).ToList();
            firewall.SyncRemote(
            [
                (LocalVteps, [new NftElement(NftData.Address(options.UnderlayAddress))]),
                (VxlanSources, [.. remote.Select(e => new NftElement(NftData.Concat(NftData.Address(e.Underlay), VniBytes(e.Vni), e.Mac.ToBytes())))]),
                (RemoteMacs, [.. remote.Select(e => new NftElement(NftData.Concat(NftData.InterfaceName(DeviceName(e.Vni)), e.Mac.ToBytes())))]),
                (RemoteIpv4, [.. remote.Select(e => new NftElement(NftData.Concat(NftData.InterfaceName(DeviceName(e.Vni)), e.Mac.ToBytes(), NftData.Address(e.Ipv4))))]),
            ]);
            kernel.Rtnl(rtnl =>
            {
                var links = rtnl.Links.List();
                var wanted = new HashSet<string>(StringComparer.Ordinal);
                foreach (var spec in specs.Values)
                {
                    var bridge = links.FirstOrDefault(l => l.Name == spec.Bridge && mark.Judge(l, "bridge") == Owner.Ours);
                    if (bridge is null)
                    {
                        continue;
                    }

                    List<ClusterEndpoint> members = [];
                    if (vnis.TryGetValue(spec.Name, out var vni))
                    {
                        members = [.. remote.Where(e => e.Network == spec.Name)];
                        var device = EnsureDevice(rtnl, links, DeviceName(vni), vni, bridge);
                        wanted.Add(device.Name);
                        ConvergeFdb(rtnl, device, members);
                    }

                    ConvergeNeighbours(rtnl, bridge, spec.Subnet, members);
                }

                foreach (var stale in links.Where(l => l.Name.StartsWith(VmAddressing.VxlanPrefix, StringComparison.Ordinal) && !wanted.Contains(l.Name) &&
                                                       mark.Judge(l, "vxlan") == Owner.Ours))
                {
                    rtnl.Links.DeleteIfExists(stale.Name);
                }
            });
        }
    }

    /// <summary>The device, made or repaired: on the bridge, up, a port that neither learns nor answers ARP itself.</summary>
    private Link EnsureDevice(Rtnl rtnl, IReadOnlyList<Link> links, string name, int vni, Link bridge)
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
                MasterIndex = bridge.Index,
                Up = true,
                Alias = DeviceMark,
            });
        }
        else if (device.MasterIndex != bridge.Index || !device.IsUp)
        {
            rtnl.Links.SetMaster(name, bridge.Index);
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

    /// <summary>Permanent neighbour entries on the bridge for the remote VMs (the ARP answers <c>neigh_suppress</c> gives), and no others in the subnet.</summary>
    private static void ConvergeNeighbours(Rtnl rtnl, Link bridge, Ipv4Network subnet, IReadOnlyList<ClusterEndpoint> members)
    {
        var present = rtnl.Neighbours.List(bridge.Index, AddressFamily.InterNetwork)
            .Where(n => n.State == NeighbourState.Permanent && subnet.Contains(Ipv4Network.ToUInt32(n.Address))).ToList();
        foreach (var extra in present.Where(n => !members.Any(e => e.Ipv4.Equals(n.Address) && e.Mac == n.LinkLayerAddress)))
        {
            Tolerant(() => rtnl.Neighbours.Delete(new Neighbour(bridge.Index, extra.Address)));
        }

        foreach (var member in members.Where(e => !present.Any(n => e.Ipv4.Equals(n.Address) && e.Mac == n.LinkLayerAddress)))
        {
            rtnl.Neighbours.Replace(new Neighbour(bridge.Index, member.Ipv4) { LinkLayerAddress = member.Mac });
        }
    }

    private static bool IsRemoteVmAddress(Ipv4Network subnet, ClusterEndpoint endpoint)
        => Ipv4Network.ToUInt32(endpoint.Ipv4) is var address && address >= subnet.FirstVmAddress && address <= subnet.LastVmAddress;

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
