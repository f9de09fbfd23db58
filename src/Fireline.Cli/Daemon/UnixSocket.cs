using System.Net;
using System.Net.Sockets;
using Fireline.Errors;
using Fireline.Linux;
using Fireline.Service;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Fireline.Cli.Daemon;

/// <summary>
/// The daemon's Unix socket, bound here rather than by Kestrel so that its mode (0660) and group are set
/// between bind() and listen(): until Kestrel calls listen() every connect() is refused, so no client ever
/// reaches a socket with the wrong permissions.
/// </summary>
internal static class UnixSocket
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>
    /// Kestrel's <see cref="SocketTransportOptions.CreateBoundListenSocket"/>: Unix sockets here; TCP as Kestrel does
    /// it, but inside the engine's host namespace (<c>--host-netns</c>): that is where the daemon's network lives.
    /// </summary>
    public static Func<EndPoint, Socket> Binder(uint? group, FirelineEngine engine) => endpoint => endpoint switch
    {
        UnixDomainSocketEndPoint unix => Bind(unix, group),
        _ => engine.InHostNamespace(() => SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint)),
    };

    /// <summary>The path this process bound: the only socket file it may remove (a start that failed or was stopped
    /// before binding must not remove another daemon's socket on the same path).</summary>
    private static string? _bound;

    /// <summary>Removes the socket file once the daemon has stopped listening, if it bound it: clients then see "no such socket".</summary>
    public static void Remove(string path)
    {
        if (_bound == path && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static Socket Bind(UnixDomainSocketEndPoint endpoint, uint? group)
    {
        var path = endpoint.ToString();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        RemoveStale(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(endpoint);
            _bound = path;
            File.SetUnixFileMode(path, Mode);
            if (group is { } gid)
            {
                try
                {
                    FileOwnership.SetGroup(path, gid);
                }
                catch (KernelException error)
                {
                    throw DomainErrors.KernelCallFailed(error);
                }
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A socket file left by a daemon that did not stop cleanly (kill -9, power loss) would make bind() fail. It is
    /// removed only when nothing answers on it; a live daemon on the path is an error, and so is a file that is not
    /// a socket (opening a socket file fails with ENXIO, any other file opens).
    /// </summary>
    private static void RemoveStale(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw DomainErrors.Conflict($"another daemon already listens on {path}", "socket");
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // Nobody listens: a leftover socket, or not a socket at all (checked below).
            }
        }

        try
        {
            File.OpenHandle(path).Dispose();
        }
        catch (IOException)
        {
            File.Delete(path);
            return;
        }

        throw DomainErrors.InvalidInput("socket", $"{path} exists and is not a socket; remove it or choose another --socket");
    }
}
