using Fireline.Linux.Namespaces;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// An rtnetlink connection bound to one network namespace, with its operations grouped by object family.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class Rtnl : IDisposable
{
    private Rtnl(NetlinkSocket socket)
    {
        Socket = socket;
        Links = new Links(socket);
        Addresses = new Addresses(socket);
        Routes = new Routes(socket);
        Neighbours = new Neighbours(socket);
        Fdb = new Fdb(socket);
        NamespaceIds = new NamespaceIds(socket);
        TrafficControl = new TrafficControl.TrafficControl(socket, Links);
    }

    private NetlinkSocket Socket { get; }

    public Links Links { get; }

    public Addresses Addresses { get; }

    public Routes Routes { get; }

    public Neighbours Neighbours { get; }

    /// <summary>The forwarding databases of bridges and VXLAN devices (<c>bridge fdb</c>).</summary>
    public Fdb Fdb { get; }

    public NamespaceIds NamespaceIds { get; }

    /// <summary>Qdiscs, classes and filters (<c>tc</c>).</summary>
    public TrafficControl.TrafficControl TrafficControl { get; }

    /// <summary>Opens a connection in the calling thread's namespace.</summary>
    public static Rtnl Open() => new(NetlinkSocket.Open(NetlinkProtocol.Route));

    /// <summary>Opens a connection bound to <paramref name="ns"/>, usable from any thread.</summary>
    public static Rtnl Open(NetworkNamespace ns) => new(ns.OpenNetlink(NetlinkProtocol.Route));

    /// <summary>One connection bound to each namespace, opened in a single thread hop (see <see cref="NetworkNamespace.OpenNetlinkEach"/>).</summary>
    public static IReadOnlyList<Rtnl> OpenEach(IReadOnlyList<NetworkNamespace> namespaces)
        => [.. NetworkNamespace.OpenNetlinkEach(namespaces, NetlinkProtocol.Route).Select(socket => new Rtnl(socket))];

    /// <summary>
    /// Sends a request built with the *Requests builders (several messages at once) and waits for every answer: for
    /// the benchmarks, which time raw batches against the typed calls.
    /// </summary>
    internal void Execute(NetlinkRequest request) => Socket.Execute(request);

    public void Dispose() => Socket.Dispose();
}
