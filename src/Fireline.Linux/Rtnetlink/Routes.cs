using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>Route operations over one rtnetlink socket, in that socket's namespace.</summary>
public sealed class Routes
{
    private readonly NetlinkSocket _socket;

    internal Routes(NetlinkSocket socket) => _socket = socket;

    /// <summary>
    /// Adds a route. Throws <see cref="KernelObjectExistsException"/> when the table already has one for that
    /// prefix and metric; an unreachable gateway is a <see cref="KernelException"/> with ENETUNREACH.
    /// <c>ip route add 10.200.0.0/16 via 10.100.0.254 dev br0</c>
    /// </summary>
    public void Add(Route route) => _socket.Execute(RouteRequests.Add(new NetlinkRequest(), route));

    /// <summary>Adds the route, or replaces the one with the same prefix, table and metric. <c>ip route replace 10.200.0.0/16 via 10.100.0.254</c></summary>
    public void Replace(Route route) => _socket.Execute(RouteRequests.Replace(new NetlinkRequest(), route));

    /// <summary>Deletes a route. Throws <see cref="KernelObjectNotFoundException"/> (ESRCH) when none matches. <c>ip route del 10.200.0.0/16</c></summary>
    public void Delete(Route route) => _socket.Execute(RouteRequests.Delete(new NetlinkRequest(), route));

    /// <summary>
    /// The routes of one table (main unless told; null for every table), of one family or both.
    /// <c>ip [-4|-6] route show [table T|all]</c>
    /// </summary>
    public IReadOnlyList<Route> List(AddressFamily family = AddressFamily.Unspecified, int? table = RouteTable.Main)
        => _socket.Dump(() => RouteRequests.List(new NetlinkRequest(), family), message =>
            // Without strict checking the kernel dumps every table whatever rtm_table says, so the table filter is ours.
            !RouteRequests.IsCacheEntry(message) && RouteRequests.Parse(message) is { } route && (table is null || route.Table == table) ? route : null);

    /// <summary>
    /// The route the kernel would use for a packet to <paramref name="destination"/>: its output link, gateway
    /// and preferred source. <c>ip route get 1.1.1.1</c>
    /// </summary>
    public Route Get(IPAddress destination)
    {
        Route? route = null;
        _socket.Execute(RouteRequests.Get(new NetlinkRequest(), destination), message => route = RouteRequests.Parse(message));
        return route ?? throw new KernelException((int)Errno.ENODATA, $"ip route get {destination}", destination.ToString(), "no route in the reply");
    }

    /// <summary>
    /// The main table's default route of a family with the lowest metric, or null when there is none; its link is
    /// the uplink. <c>ip route show default</c>
    /// </summary>
    public Route? DefaultRoute(AddressFamily family)
    {
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"a default route is IPv4 or IPv6, not {family}", nameof(family));
        }

        return List(family).Where(r => r.Destination is null && r.Type == RouteType.Unicast).MinBy(r => r.Metric ?? 0);
    }
}
