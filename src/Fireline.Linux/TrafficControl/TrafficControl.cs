using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Linux.TrafficControl;

/// <summary>
/// Traffic control over one rtnetlink socket, in that socket's namespace: qdiscs, HTB classes, and the
/// ingress redirect filters that join a TAP and a veth end without a bridge. Devices are named here and
/// looked up once per call; the hot path can pass <see cref="Link"/>s it already holds to <see cref="Join(Link, Link)"/>.
/// </summary>
public sealed class TrafficControl
{
    private readonly NetlinkSocket _socket;
    private readonly Links _links;

    internal TrafficControl(NetlinkSocket socket, Links links)
    {
        _socket = socket;
        _links = links;
    }

    /// <summary><c>tc qdisc add dev NAME ...</c>. Throws <see cref="KernelObjectExistsException"/> when that place is taken.</summary>
    public void AddQdisc(string device, QdiscKind qdisc) => _socket.Execute(TcRequests.AddQdisc(new NetlinkRequest(), _links.Get(device), qdisc));

    /// <summary>
    /// <c>tc qdisc replace dev NAME ...</c>: creates the qdisc, or replaces (or changes) the one there; how a TBF
    /// rate changes on a running VM. HTB cannot change in place: replacing an HTB with an HTB is refused
    /// (EINVAL); change its classes with <see cref="ReplaceClass"/> instead.
    /// </summary>
    public void ReplaceQdisc(string device, QdiscKind qdisc)
        => _socket.Execute(TcRequests.AddQdisc(new NetlinkRequest(), _links.Get(device), qdisc, replace: true));

    /// <summary>
    /// <c>tc qdisc del dev NAME root|ingress</c>; the device's filters under it go with it. Throws
    /// <see cref="KernelObjectNotFoundException"/> when only the kernel's default qdisc is there.
    /// </summary>
    public void DeleteQdisc(string device, TcHandle parent) => _socket.Execute(TcRequests.DeleteQdisc(new NetlinkRequest(), _links.Get(device), parent));

    /// <summary><c>tc qdisc show [dev NAME]</c></summary>
    public IReadOnlyList<Qdisc> ListQdiscs(string? device = null)
    {
        var index = device is null ? (int?)null : _links.Get(device).Index;
        var all = _socket.Dump(() => TcRequests.ListQdiscs(new NetlinkRequest()), TcRequests.ParseQdisc);
        return index is null ? all : [.. all.Where(q => q.InterfaceIndex == index)];
    }

    /// <summary><c>tc class add dev NAME parent P classid C htb rate R ceil C burst B cburst CB</c></summary>
    public void AddClass(string device, HtbClass htbClass) => _socket.Execute(TcRequests.AddClass(new NetlinkRequest(), _links.Get(device), htbClass));

    /// <summary><c>tc class replace dev NAME ... htb ...</c>: creates the class or changes its rates in place.</summary>
    public void ReplaceClass(string device, HtbClass htbClass)
        => _socket.Execute(TcRequests.AddClass(new NetlinkRequest(), _links.Get(device), htbClass, replace: true));

    /// <summary>
    /// <c>tc filter add dev NAME parent ffff: protocol all prio P handle 800::800 u32 match u32 0 0 action mirred
    /// egress redirect dev TARGET</c>. The device needs its ingress qdisc first.
    /// </summary>
    public void AddRedirectFilter(string device, string target, ushort priority = TcRequests.RedirectPriority)
        => _socket.Execute(TcRequests.AddRedirectFilter(new NetlinkRequest(), _links.Get(device), _links.Get(target), priority));

    /// <summary><c>tc filter del dev NAME parent ffff: prio P</c></summary>
    public void DeleteFilter(string device, ushort priority = TcRequests.RedirectPriority)
        => _socket.Execute(TcRequests.DeleteFilter(new NetlinkRequest(), _links.Get(device), priority));

    /// <summary><c>tc filter show dev NAME parent ffff:</c></summary>
    public IReadOnlyList<Filter> ListFilters(string device) => ListFilters(_links.Get(device));

    /// <summary>As <see cref="ListFilters(string)"/>, for a link the caller holds already.</summary>
    public IReadOnlyList<Filter> ListFilters(Link device) => _socket.Dump(() => TcRequests.ListFilters(new NetlinkRequest(), device), TcRequests.ParseFilter);

    /// <summary>
    /// Whether what <paramref name="from"/> receives is redirected to <paramref name="to"/>: <c>tc filter show dev
    /// FROM parent ffff:</c> lists a mirred redirect to TO (one direction of a <see cref="Join(Link, Link, string?)"/>).
    /// </summary>
    public bool Redirects(Link from, Link to) => ListFilters(from).Any(f => f.RedirectIndex == to.Index);

    /// <summary>
    /// <c>tc qdisc replace dev FROM ingress; tc filter replace dev FROM parent ffff: protocol all prio 1 handle
    /// 800::800 u32 match u32 0 0 action mirred egress redirect dev TO</c>: every frame FROM receives leaves
    /// through TO. Idempotent.
    /// </summary>
    public void Redirect(string from, string to) => _socket.Execute(TcRequests.Redirect(new NetlinkRequest(), _links.Get(from), _links.Get(to)));

    /// <summary>
    /// <see cref="Redirect"/> both ways and <c>ip link set A up; ip link set B up</c>: two devices joined as if
    /// by a two-port bridge, with two lookups and one send. Idempotent.
    /// </summary>
    public void Join(string a, string b) => Join(_links.Get(a), _links.Get(b));

    /// <summary>
    /// As <see cref="Join(string, string)"/>, for callers that hold both links already: one send in all. With
    /// <paramref name="alias"/>, the same send also does <c>ip link set A alias TEXT; ip link set B alias TEXT</c>.
    /// </summary>
    public void Join(Link a, Link b, string? alias = null) => _socket.Execute(TcRequests.Join(new NetlinkRequest(), a, b, alias));
}
