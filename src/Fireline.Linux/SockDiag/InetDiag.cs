using System.Net.Sockets;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.SockDiag;

/// <summary>
/// The sockets of one network namespace as the kernel reports them (what <c>ss</c> reads), over a
/// NETLINK_SOCK_DIAG socket bound to it. Not thread-safe: one caller at a time.
/// </summary>
public sealed class InetDiag : IDisposable
{
    private readonly NetlinkSocket _socket;

    private InetDiag(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens the socket table of <paramref name="ns"/>, usable from any thread.</summary>
    public static InetDiag Open(NetworkNamespace ns) => new(ns.OpenNetlink(NetlinkProtocol.SockDiag));

    /// <summary>
    /// The sockets that receive whatever arrives for their port: listening TCP ones, or unconnected bound UDP
    /// ones, IPv4 and IPv6. <c>ss -tln</c> / <c>ss -uln</c>
    /// </summary>
    public IReadOnlyList<BoundSocket> Listening(ProtocolType protocol)
    {
        if (protocol is not (ProtocolType.Tcp or ProtocolType.Udp))
        {
            throw new ArgumentException($"{protocol} is neither TCP nor UDP", nameof(protocol));
        }

        var sockets = new List<BoundSocket>();
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            sockets.AddRange(_socket.Dump(() => InetDiagRequests.Listening(new NetlinkRequest(), protocol, family), m => InetDiagRequests.Parse(m, protocol)));
        }

        return sockets;
    }

    public void Dispose() => _socket.Dispose();
}
