using Fireline.Linux.Namespaces;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// Namespace ids over one rtnetlink socket: the numbers under which the socket's namespace knows other
/// namespaces. A link whose peer lives elsewhere reports that peer's namespace by this id
/// (<see cref="Link.LinkNamespaceId"/>), so comparing the two tells where a veth's other end is.
/// </summary>
public sealed class NamespaceIds
{
    private readonly NetlinkSocket _socket;

    internal NamespaceIds(NetlinkSocket socket) => _socket = socket;

    /// <summary>
    /// The id this namespace uses for <paramref name="target"/>, or null when it has none yet. The kernel assigns
    /// one on its own the first time it reports a link whose peer is there. The "(id: N)" of <c>ip netns list</c>
    /// </summary>
    public int? GetId(NetworkNamespace target)
    {
        int? id = null;
        _socket.Execute(NamespaceIdRequests.Get(new NetlinkRequest(), target), message => id = NamespaceIdRequests.Parse(message));
        return id;
    }

    /// <summary>
    /// Gives <paramref name="target"/> an id in this namespace (<paramref name="id"/>, or the lowest free one when
    /// null) and returns it. Throws <see cref="KernelObjectExistsException"/> when it already has one, or the id is
    /// taken. <c>ip netns set NAME auto</c>
    /// </summary>
    public int Assign(NetworkNamespace target, int? id = null)
    {
        _socket.Execute(NamespaceIdRequests.Assign(new NetlinkRequest(), target, id));
        return GetId(target) ?? throw new KernelException((int)Errno.ENODATA, $"ip netns set {target.Name ?? target.Path}", target.Name ?? target.Path, "no id after assigning one");
    }

    /// <summary>The id this namespace uses for <paramref name="target"/>, assigning one first when it has none. <c>ip netns set NAME auto</c></summary>
    public int EnsureId(NetworkNamespace target) => GetId(target) ?? Assign(target);
}
