using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.SockDiag;

/// <summary>Builds and reads inet_diag messages (NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY); <see cref="InetDiag"/> exchanges them.</summary>
internal static class InetDiagRequests
{
    private const ushort SockDiagByFamily = 20;
    private const byte TcpClose = 7;
    private const byte TcpListen = 10;

    /// <summary>What <c>ss -l</c> asks for: TCP_LISTEN (a listening TCP socket) and TCP_CLOSE (an unconnected UDP socket).</summary>
    private const uint ListeningStates = (1u << TcpClose) | (1u << TcpListen);

    /// <summary>
    /// <c>ss -tln</c> / <c>ss -uln</c> for one address family: a dump of the sockets that receive from anyone
    /// (byte for byte what iproute2's ss sends).
    /// </summary>
    public static NetlinkRequest Listening(NetlinkRequest request, ProtocolType protocol, AddressFamily family)
    {
        var text = $"ss -{(protocol == ProtocolType.Tcp ? 't' : 'u')}ln -{(family == AddressFamily.InterNetwork ? '4' : '6')}";
        return request.Begin(SockDiagByFamily, NetlinkFlags.Dump, text, KernelObjectKind.Socket, null)
            .Struct(new InetDiagReqV2
            {
                Family = (byte)(family == AddressFamily.InterNetwork ? 2 : 10),
                Protocol = (byte)protocol,
                States = ListeningStates,
            })
            .End();
    }

    /// <summary>
    /// One socket of a <see cref="Listening"/> dump; null for one that has no local port yet (a UDP socket made but
    /// not bound) or that no longer receives from anyone (a TCP socket closed but not yet listening).
    /// </summary>
    public static BoundSocket? Parse(NetlinkMessage message, ProtocolType protocol)
    {
        if (message.Payload.Length < Marshal.SizeOf<InetDiagMsg>())
        {
            return null;
        }

        var socket = message.Header<InetDiagMsg>();
        var port = BinaryPrimitives.ReverseEndianness(socket.Id.SourcePort);
        if (port == 0 || socket.State != (protocol == ProtocolType.Tcp ? TcpListen : TcpClose))
        {
            return null;
        }

        var bytes = ((ReadOnlySpan<byte>)socket.Id.Source)[..(socket.Family == 2 ? 4 : 16)];
        return new BoundSocket { Protocol = protocol, Address = new IPAddress(bytes), Port = port, Uid = socket.Uid };
    }
}
