using System.Net;
using System.Net.Sockets;

namespace Fireline.Linux.SockDiag;

/// <summary>
/// A TCP socket that listens, or a UDP socket bound without a peer, as the kernel reports it (<c>ss -tuln</c>):
/// it receives whatever arrives for its local address and port.
/// </summary>
public sealed record BoundSocket
{
    public required ProtocolType Protocol { get; init; }

    /// <summary>The local address: any (0.0.0.0, ::) or one of the namespace's own.</summary>
    public required IPAddress Address { get; init; }

    public required int Port { get; init; }

    /// <summary>The uid that owns the socket.</summary>
    public required uint Uid { get; init; }

    /// <summary><c>ss</c>'s way of writing it: <c>tcp 0.0.0.0:22</c>, <c>udp [::]:53</c>.</summary>
    public override string ToString() => $"{(Protocol == ProtocolType.Tcp ? "tcp" : "udp")} {new IPEndPoint(Address, Port)}";
}
