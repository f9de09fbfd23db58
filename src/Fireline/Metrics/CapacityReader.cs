using Fireline.Addressing;
using Fireline.Ipam;
using Fireline.Kernel;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Metrics;

/// <summary>
/// Reads the limits that bite first at scale: addresses left in each subnet, ports on each bridge (a Linux
/// bridge takes 1,024), and the host neighbour table (one entry per VM that talks to its gateway; the kernel
/// starts refusing entries past gc_thresh3). Two netlink dumps in the host namespace, whatever the VM count.
/// </summary>
public sealed class CapacityReader(IStateStore store, NetworkPools pools, WarmPool warmPool, HostKernel kernel)
{
    /// <summary>The most ports a Linux bridge takes (BR_MAX_PORTS).</summary>
    public const int BridgePortLimit = 1024;

    public HostCapacity Read()
    {
        var (links, neighbours) = kernel.Rtnl(rtnl => (rtnl.Links.List(), rtnl.Neighbours.Count()));
        var ports = links.Where(l => l.MasterIndex is not null).GroupBy(l => l.MasterIndex!.Value).ToDictionary(g => g.Key, g => g.Count());
        var networks = store.ListNetworks().Select(n =>
        {
            var pool = pools.Get(n.Name);
            var bridges = NetworkSegments.FurtherBridges(n.Spec.Bridge, n.Spec.Subnet).Prepend(n.Spec.Bridge)
                .Select(name => links.FirstOrDefault(l => l.Name == name)).OfType<Fireline.Linux.Rtnetlink.Link>()
                .Select(bridge => (bridge.Name, ports.GetValueOrDefault(bridge.Index)));
            return new NetworkCapacity(n.Name, [.. bridges], pool.Leased, pool.Free, warmPool.Ready(n.Name));
        });
        return new HostCapacity([.. networks], neighbours);
    }
}
