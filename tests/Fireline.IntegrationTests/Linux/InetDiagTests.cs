using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Namespaces;
using Fireline.Linux.SockDiag;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

/// <summary>
/// The sockets of a test host's namespace that receive from anyone, read over NETLINK_SOCK_DIAG: listening TCP and
/// unconnected bound UDP, IPv4 and IPv6, each with its address and port; sockets that do not receive from anyone
/// (connected UDP, a TCP socket bound but not listening) and the sockets of other namespaces are left out.
/// <c>ss -tuln</c> in the namespace is the observer.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class InetDiagTests : IDisposable
{
    private readonly TestHost _host = new();

    [Fact]
    public void Listening_lists_what_receives_in_that_namespace_as_ss_does()
    {
        using var tcp4 = Open(AddressFamily.InterNetwork, SocketType.Stream, new IPEndPoint(IPAddress.Loopback, 18080), listen: true);
        using var tcp6 = Open(AddressFamily.InterNetworkV6, SocketType.Stream, new IPEndPoint(IPAddress.IPv6Any, 18081), listen: true);
        using var udp4 = Open(AddressFamily.InterNetwork, SocketType.Dgram, new IPEndPoint(TestHost.HostUplinkAddress, 15353), listen: false);
        using var boundOnly = Open(AddressFamily.InterNetwork, SocketType.Stream, new IPEndPoint(IPAddress.Any, 18082), listen: false);
        using var connected = Open(AddressFamily.InterNetwork, SocketType.Dgram, new IPEndPoint(IPAddress.Any, 15354), listen: false);
        connected.Connect(TestHost.OutsideAddress, 53);
        // The same port in the machine's own namespace, where this process runs: not the test host's.
        using var elsewhere = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        elsewhere.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        elsewhere.Listen();
        var elsewherePort = ((IPEndPoint)elsewhere.LocalEndPoint!).Port;

        using var diag = InetDiag.Open(_host.HostNamespace);
        var tcp = diag.Listening(ProtocolType.Tcp);
        var udp = diag.Listening(ProtocolType.Udp);

        Assert.Equal(["tcp 127.0.0.1:18080", "tcp [::]:18081"], tcp.Select(s => s.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal([$"udp {TestHost.HostUplinkAddress}:15353"], udp.Select(s => s.ToString()));
        Assert.All(tcp.Concat(udp), s => Assert.Equal(0u, s.Uid));
        Assert.DoesNotContain(tcp, s => s.Port == elsewherePort);
        var ss = _host.InHost("ss", "-tulnH");
        Assert.All(tcp.Concat(udp), s => Assert.Contains($":{s.Port} ", ss, StringComparison.Ordinal));
        Assert.DoesNotContain(":18082 ", ss, StringComparison.Ordinal);
        Assert.DoesNotContain(":15354 ", ss, StringComparison.Ordinal);
    }

    /// <summary>A socket made in the test host's namespace (it stays there whichever thread uses it).</summary>
    private Socket Open(AddressFamily family, SocketType type, IPEndPoint at, bool listen)
        => _host.HostNamespace.Run(() =>
        {
            var socket = new Socket(family, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
            try
            {
                socket.Bind(at);
                if (listen)
                {
                    socket.Listen();
                }

                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });

    public void Dispose() => _host.Dispose();
}
