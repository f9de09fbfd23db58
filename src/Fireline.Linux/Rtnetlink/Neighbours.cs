using System.Net.Sockets;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>Neighbour (ARP/NDP) operations over one rtnetlink socket, in that socket's namespace.</summary>
public sealed class Neighbours
{
    private readonly NetlinkSocket _socket;

    internal Neighbours(NetlinkSocket socket) => _socket = socket;

    /// <summary>
    /// Adds an entry. Throws <see cref="KernelObjectExistsException"/> when the link already has one for the address.
    /// <c>ip neigh add 10.0.0.2 lladdr 06:00:0a:00:00:02 dev br0 nud permanent</c>
    /// </summary>
    public void Add(Neighbour neighbour) => _socket.Execute(NeighbourRequests.Add(new NetlinkRequest(), neighbour));

    /// <summary>Adds the entry, or overwrites the link's entry for the address. <c>ip neigh replace 10.0.0.2 lladdr 06:00:0a:00:00:02 dev br0 nud permanent</c></summary>
    public void Replace(Neighbour neighbour) => _socket.Execute(NeighbourRequests.Replace(new NetlinkRequest(), neighbour));

    /// <summary>Deletes an entry. Throws <see cref="KernelObjectNotFoundException"/> when there is none. <c>ip neigh del 10.0.0.2 dev br0</c></summary>
    public void Delete(Neighbour neighbour) => _socket.Execute(NeighbourRequests.Delete(new NetlinkRequest(), neighbour));

    /// <summary>Deletes an entry; false when there was none (already gone is what the caller wants).</summary>
    public bool DeleteIfExists(Neighbour neighbour)
    {
        try
        {
            Delete(neighbour);
            return true;
        }
        catch (KernelObjectNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// The entries of the namespace, or its proxy entries, optionally of one link and one family.
    /// <c>ip [-4|-6] neigh show [proxy] [dev LINK]</c>
    /// </summary>
    public IReadOnlyList<Neighbour> List(int? linkIndex = null, AddressFamily family = AddressFamily.Unspecified, bool proxies = false)
        => _socket.Dump(() => NeighbourRequests.List(new NetlinkRequest(), family, linkIndex, proxies), message => NeighbourRequests.Parse(message));

    /// <summary>
    /// How many entries the neighbour tables hold, without building them: every state, NOARP entries (multicast,
    /// loopback) included, as the tables' garbage-collection thresholds count them; proxy entries not included.
    /// <c>ip [-4|-6] neigh show nud all | wc -l</c>
    /// </summary>
    public int Count(AddressFamily family = AddressFamily.Unspecified)
    {
        var count = 0;
        _socket.Dump(() => NeighbourRequests.List(new NetlinkRequest(), family, null, proxies: false), message =>
        {
            if (InetAddresses.FromFamily(message.Header<NdMsg>().Family) is not null)
            {
                count++;
            }
        }, () => count = 0);
        return count;
    }
}
