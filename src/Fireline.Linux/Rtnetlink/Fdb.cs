using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>Forwarding-database operations (<c>bridge fdb</c>) over one rtnetlink socket, in that socket's namespace.</summary>
public sealed class Fdb
{
    private readonly NetlinkSocket _socket;

    internal Fdb(NetlinkSocket socket) => _socket = socket;

    /// <summary>Adds the entry or overwrites the one for its MAC. <c>bridge fdb replace MAC dev LINK [dst IP] master static|self permanent</c></summary>
    public void Replace(FdbEntry entry) => _socket.Execute(FdbRequests.Replace(new NetlinkRequest(), entry));

    /// <summary>
    /// Adds one more destination for the entry's MAC (a VXLAN device's all-zeros entry); throws
    /// <see cref="KernelObjectExistsException"/> when the MAC already goes there. <c>bridge fdb append MAC dev LINK dst IP self permanent</c>
    /// </summary>
    public void Append(FdbEntry entry) => _socket.Execute(FdbRequests.Append(new NetlinkRequest(), entry));

    /// <summary>
    /// Deletes the entry (with a destination: only that one of the MAC's); throws <see cref="KernelObjectNotFoundException"/>
    /// when there is none. <c>bridge fdb del MAC dev LINK [dst IP] master|self</c>
    /// </summary>
    public void Delete(FdbEntry entry) => _socket.Execute(FdbRequests.Delete(new NetlinkRequest(), entry));

    /// <summary>Every entry of the namespace's bridges and devices, optionally of one link. <c>bridge fdb show [dev LINK]</c></summary>
    public IReadOnlyList<FdbEntry> List(int? linkIndex = null)
        => [.. _socket.Dump(() => FdbRequests.List(new NetlinkRequest()), message => FdbRequests.Parse(message)).Where(e => linkIndex is null || e.LinkIndex == linkIndex)];
}
