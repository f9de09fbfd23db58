using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fireline.Errors;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Cli.Demo;

/// <summary>
/// The demo's private test host: a "host" namespace Fireline runs against, with an uplink veth to an "outside"
/// namespace that plays the internet (and runs a small server that answers with the address it sees). Built
/// and removed with Fireline's own kernel layer, whose failures it reports as the demo's (<c>kernel-error</c>), as
/// the engine does its own; the machine's own network is never touched.
/// </summary>
internal sealed class DemoHost : IDisposable
{
    public const string Uplink = "uplink0";
    public static readonly IPAddress HostAddress = IPAddress.Parse("198.51.100.2");
    public static readonly IPAddress OutsideAddress = IPAddress.Parse("198.51.100.1");
    public const int ServerPort = 8000;
    private Socket? _server;

    public DemoHost()
    {
        Prefix = string.Create(CultureInfo.InvariantCulture, $"fldemo{Environment.ProcessId}");
        try
        {
            Host = NetworkNamespace.Create(Prefix + "-host");
            Outside = NetworkNamespace.Create(Prefix + "-out");
            using (var rtnl = Rtnl.Open(Host))
            {
                rtnl.Links.Create(new LinkSpec(Uplink, new Veth(Uplink) { PeerNamespace = Outside }) { Up = true });
                rtnl.Links.SetUp("lo");
                rtnl.Addresses.Add(new Address(rtnl.Links.Get(Uplink).Index, HostAddress, 24));
                rtnl.Routes.Add(Route.Default(OutsideAddress));
            }

            using (var rtnl = Rtnl.Open(Outside))
            {
                rtnl.Links.SetUp(Uplink);
                rtnl.Links.SetUp("lo");
                rtnl.Addresses.Add(new Address(rtnl.Links.Get(Uplink).Index, OutsideAddress, 24));
            }

            StartServer();
        }
        catch (Exception error)
        {
            Dispose();
            if (error is KernelException failure)
            {
                throw Failed(failure);
            }

            throw;
        }
    }

    public string Prefix { get; }

    public NetworkNamespace Host { get; } = null!;

    public NetworkNamespace Outside { get; } = null!;

    /// <summary>Tries a TCP connection from the outside to the host's uplink address (a port forward).</summary>
    public bool OutsideConnects(int port)
    {
        try
        {
            using var socket = Outside.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            return socket.ConnectAsync(HostAddress, port).Wait(TimeSpan.FromSeconds(3));
        }
        catch (AggregateException)
        {
            return false; // refused or reset: not reached
        }
        catch (KernelException failure)
        {
            throw Failed(failure);
        }
    }

    /// <summary>An "internet" server: answers each connection with the address it came from (NAT shows).</summary>
    private void StartServer()
    {
        // The socket is created inside the outside namespace and stays bound to it, whichever thread accepts.
        _server = Outside.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        _server.Bind(new IPEndPoint(IPAddress.Any, ServerPort));
        _server.Listen();
        var server = _server;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await server.AcceptAsync().ConfigureAwait(false);
                    var peer = ((IPEndPoint)client.RemoteEndPoint!).Address.ToString();
                    await client.SendAsync(Encoding.ASCII.GetBytes($"seen-as-{peer}\n")).ConfigureAwait(false);
                }
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                // The demo is over: the listening socket was closed.
            }
        });
    }

    public void Dispose()
    {
        _server?.Dispose();
        Host?.Dispose();
        Outside?.Dispose();
        try
        {
            foreach (var name in new[] { Prefix + "-host", Prefix + "-out" })
            {
                if (NetworkNamespace.Exists(name))
                {
                    NetworkNamespace.Delete(name);
                }
            }
        }
        catch (KernelException failure)
        {
            throw Failed(failure);
        }
    }

    private static FirelineException Failed(KernelException failure) => DomainErrors.Kernel("demo", failure);
}
