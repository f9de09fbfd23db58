using System.Net.Sockets;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>Address operations over one rtnetlink socket, in that socket's namespace.</summary>
public sealed class Addresses
{
    private readonly NetlinkSocket _socket;

    internal Addresses(NetlinkSocket socket) => _socket = socket;

    /// <summary>
    /// Adds an address to a link. Throws <see cref="KernelObjectExistsException"/> when the link already has it,
    /// <see cref="LinkNotFoundException"/> when there is no such link.
    /// <c>ip addr add 10.100.0.1/16 dev br-vms</c>
    /// </summary>
    public void Add(Address address) => _socket.Execute(AddressRequests.Add(new NetlinkRequest(), address));

    /// <summary>
    /// Removes an address from a link. Throws <see cref="KernelObjectNotFoundException"/> when the link does not
    /// have it. <c>ip addr del 10.100.0.1/16 dev br-vms</c>
    /// </summary>
    public void Delete(Address address) => _socket.Execute(AddressRequests.Delete(new NetlinkRequest(), address));

    /// <summary>
    /// The addresses in the namespace, optionally only one link's and one family's; none when that link is gone.
    /// One link's are read with strict checking, so the kernel reads that link alone: a dump of everything walks
    /// every link of the namespace (a host veth per VM), whichever addresses it holds.
    /// <c>ip [-4|-6] addr show [dev LINK]</c>
    /// </summary>
    public IReadOnlyList<Address> List(int? linkIndex = null, AddressFamily family = AddressFamily.Unspecified)
    {
        if (linkIndex is not { } index)
        {
            return _socket.Dump(() => AddressRequests.List(new NetlinkRequest(), family), AddressRequests.Parse);
        }

        try
        {
            return _socket.DumpStrict(() => AddressRequests.List(new NetlinkRequest(), family, index), AddressRequests.Parse);
        }
        catch (LinkNotFoundException)
        {
            return [];
        }
    }
}
