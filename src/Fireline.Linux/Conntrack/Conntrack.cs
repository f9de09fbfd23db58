using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Conntrack;

/// <summary>
/// The connection-tracking table of one network namespace, over a NETLINK_NETFILTER socket bound to it.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class Conntrack : IDisposable
{
    private Conntrack(NetlinkSocket socket) => Socket = socket;

    private NetlinkSocket Socket { get; }

    /// <summary>Opens the table of the calling thread's namespace.</summary>
    public static Conntrack Open() => new(NetlinkSocket.Open(NetlinkProtocol.Netfilter));

    /// <summary>Opens the table of <paramref name="ns"/>, usable from any thread.</summary>
    public static Conntrack Open(NetworkNamespace ns) => new(ns.OpenNetlink(NetlinkProtocol.Netfilter));

    /// <summary><c>conntrack -C</c>: how many entries the namespace holds, without reading them.</summary>
    public int Count()
    {
        int? count = null;
        Socket.Execute(ConntrackRequests.Count(new NetlinkRequest()), message => count = ConntrackRequests.ParseCount(message));
        return count ?? throw new KernelException((int)Errno.ENODATA, "conntrack -C", null, "no reply");
    }

    /// <summary><c>conntrack -L [-f ipv4|ipv6]</c></summary>
    public IReadOnlyList<ConntrackEntry> List(AddressFamily family = AddressFamily.Unspecified)
        => Socket.Dump(() => ConntrackRequests.List(new NetlinkRequest(), family), ConntrackRequests.Parse);

    /// <summary>
    /// <c>conntrack -D -p P -s S -d D ...</c>: deletes one entry by its original tuple. Throws
    /// <see cref="KernelObjectNotFoundException"/> when it is gone.
    /// </summary>
    public void Delete(ConntrackEntry entry) => Socket.Execute(ConntrackRequests.Delete(new NetlinkRequest(), entry));

    /// <summary>
    /// Deletes every entry with <paramref name="address"/> as its original or reply source
    /// (<c>conntrack -D -s A; -D -r A</c>, see <see cref="ConntrackRequests.DeleteByEndpoint"/>): every flow the
    /// address took part in under its own address, NATed or not, so an address handed to a new VM inherits no flows of
    /// the old one. IPv4 takes one send of two filtered flushes that the kernel runs over its table without copying
    /// entries out. IPv6 lists the IPv6 entries and deletes those with the address anywhere, one by one, because the
    /// kernel's IPv6 filter is inverted.
    /// </summary>
    public void DeleteByEndpoint(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Socket.Execute(ConntrackRequests.DeleteByEndpoint(new NetlinkRequest(), address));
            return;
        }

        foreach (var entry in List(AddressFamily.InterNetworkV6).Where(e => e.Involves(address)))
        {
            try
            {
                Delete(entry);
            }
            catch (KernelObjectNotFoundException)
            {
                // It expired (or was deleted) between the listing and now: gone is what was asked for.
            }
        }
    }

    public void Dispose() => Socket.Dispose();
}
