using Fireline.Addressing;
using Fireline.Faults;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.Ownership;
using Fireline.State;

namespace Fireline.Host;

/// <summary>
/// A network's further segments (<see cref="NetworkSegments"/>): one bridge per block of its addresses beyond the
/// first, made when the block's first VM or pool slot needs it and kept until the network goes. The host joins them at
/// layer 3: a route per block onto its bridge (more specific than the subnet's connected route on the network's own
/// bridge), and proxy ARP with no delay on every segment's bridge, so a guest's ARP for a VM of another segment is
/// answered at once by its own segment's bridge and the packet is routed there; no broadcast crosses a segment.
/// </summary>
public sealed partial class HostDatapath
{
    /// <summary>Two creates needing the same new segment make it once.</summary>
    private readonly Lock _segmentLock = new();

    /// <summary>
    /// The index of the bridge a VM or slot with <paramref name="address"/> goes on: the network's own for segment 0
    /// (null when it is missing), otherwise its segment's, made and joined when missing. Refuses, with
    /// <c>bridge-in-use</c>, a link of that name that is not this instance's.
    /// </summary>
    public int? SegmentBridge(NetworkSpec network, uint address)
    {
        var segment = NetworkSegments.Of(network.Subnet, address);
        if (segment == 0)
        {
            return FindBridge(network)?.Index;
        }

        if (FindSegment(network, segment) is { } existing)
        {
            return existing.Index;
        }

        lock (_segmentLock)
        {
            return EnsureSegment(network, segment).Index;
        }
    }

    /// <summary>
    /// The bridge of segment <paramref name="segment"/> when it exists and is this instance's (segment 0: see
    /// <see cref="FindBridge"/>); null otherwise.
    /// </summary>
    public Link? FindSegment(NetworkSpec network, int segment)
    {
        if (segment == 0)
        {
            return FindBridge(network);
        }

        var name = NetworkSegments.Bridge(network.Bridge, segment);
        return kernel.Rtnl(rtnl => rtnl.Links.TryGet(name)) is { } link && Judge(link, network, claimed: false, refuse: false, name: name) == Owner.Ours ? link : null;
    }

    /// <summary>
    /// Makes segment <paramref name="segment"/> (1 and up) whole: its bridge present, this instance's (marked like the
    /// network's, with the same fixed MAC: the gateway looks the same from every segment), up, holding the gateway as a
    /// /32 (the source of the host's ARP requests there, and the gateway the segment's guests reach), proxy ARP with no
    /// delay, and the routes of its blocks. Returns whether anything changed, and the bridge's index.
    /// </summary>
    public (bool Changed, int Index) EnsureSegment(NetworkSpec network, int segment)
    {
        var name = NetworkSegments.Bridge(network.Bridge, segment);
        var gateway = Ipv4Network.ToAddress(network.Subnet.Gateway);
        return kernel.Rtnl(rtnl =>
        {
            var changed = false;
            var bridge = rtnl.Links.TryGet(name);
            if (bridge is null)
            {
                // The intent names it until it carries the mark: a crash in between leaves a bridge reconcile may adopt.
                store.SaveSetting(BridgeIntentKey, name);
                rtnl.Links.Create(new LinkSpec(name, new Bridge()) { Up = true, Address = VmAddressing.GuestMac(network.Subnet.Gateway), Alias = mark.Text });
                FaultPoints.Hit(FaultPoints.SegmentCreate);
                store.SaveSetting(BridgeIntentKey, "");
                bridge = rtnl.Links.Get(name);
                changed = true;
            }
            else if (Judge(bridge, network, claimed: false, name: name) == Owner.Unmarked)
            {
                rtnl.Links.SetAlias(bridge.Index, name, mark.Text);
                changed = true;
            }

            if (!bridge.IsUp)
            {
                rtnl.Links.SetUp(name);
                changed = true;
            }

            changed |= EnsureAddress(rtnl, new Address(bridge.Index, gateway, 32));
            changed |= EnsureRoute(rtnl, new Route(NetworkSegments.Block(network.Subnet, segment)) { LinkIndex = bridge.Index, Scope = RouteScope.Link, PreferredSource = gateway });
            if (network.Ipv6 is { } prefix)
            {
                changed |= EnsureAddress(rtnl, new Address(bridge.Index, prefix.Gateway, 128) { Flags = AddressFlags.NoDad });
                changed |= EnsureRoute(rtnl, new Route(NetworkSegments.Block6(prefix, network.Subnet, segment)) { LinkIndex = bridge.Index, PreferredSource = prefix.Gateway });
            }

            changed |= EnsureProxyArp(name);
            return (changed, bridge.Index);
        });
    }

    /// <summary>
    /// Proxy ARP, answered at once (<c>neigh/DEV/proxy_delay</c> 0: the default delays a proxied answer by up to 0.8 s),
    /// on a segment's bridge; the network's own bridge gets it too when the network has further segments (the routes
    /// decide what is proxied: only addresses routed out of another interface). Returns whether it changed either.
    /// </summary>
    public bool EnsureProxyArp(string bridge)
    {
        var changed = false;
        foreach (var (key, value) in new[] { ($"net/ipv4/conf/{bridge}/proxy_arp", "1"), ($"net/ipv4/neigh/{bridge}/proxy_delay", "0") })
        {
            if (Sysctl.Read(kernel.Namespace, key).Trim() != value)
            {
                Sysctl.Write(kernel.Namespace, key, value);
                changed = true;
            }
        }

        return changed;
    }

    private static bool EnsureAddress(Rtnl rtnl, Address address)
    {
        if (rtnl.Addresses.List(address.LinkIndex, address.Family).Any(a => a.Local.Equals(address.Local)))
        {
            return false;
        }

        rtnl.Addresses.Add(address);
        return true;
    }

    private static bool EnsureRoute(Rtnl rtnl, Route route)
    {
        if (rtnl.Routes.List(route.Family).Any(r => r.Destination == route.Destination && r.LinkIndex == route.LinkIndex && r.Gateway is null))
        {
            return false;
        }

        rtnl.Routes.Replace(route);
        return true;
    }

    /// <summary>
    /// The network's further segment bridges in the kernel that are this instance's (by the names its segments take
    /// and the mark), for reconcile, doctor and delete.
    /// </summary>
    public IReadOnlyList<Link> Segments(NetworkSpec network, IEnumerable<Link>? links = null)
    {
        var prefix = NetworkSegments.Prefix(network.Bridge);
        return [.. (links ?? Links()).Where(l => l.Name.StartsWith(prefix, StringComparison.Ordinal) && NetworkSegments.IsFurtherBridgeName(l.Name) &&
                                                 mark.Judge(l, "bridge") == Owner.Ours)];
    }

    /// <summary>Removes the network's further segment bridges that are this instance's (their routes go with them); returns their names.</summary>
    public IReadOnlyList<string> DeleteSegments(NetworkSpec network)
        => [.. Segments(network).Where(l => kernel.Rtnl(rtnl => rtnl.Links.DeleteIfExists(l.Name))).Select(l => l.Name)];
}
