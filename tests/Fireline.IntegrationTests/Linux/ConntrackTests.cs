using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Conntrack;
using Fireline.Linux.Namespaces;
using Fireline.TestSupport;
using Xunit.Abstractions;

namespace Fireline.IntegrationTests.Linux;

/// <summary>
/// Deleting the flows of a released address, in the test host's own conntrack table. A ct rule in the host
/// namespace turns tracking on there; real flows (ICMP, a held TCP connection) come from the host's uplink
/// address .2 and from a second address .3 that must keep its flows. Entries added with <c>conntrack -I</c>
/// cover what traffic here cannot make: a NATed entry that holds the address only in its reply tuple, and
/// IPv6. The observer is conntrack-tools (Debian: <c>apt-get install conntrack</c>).
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class ConntrackTests : IDisposable
{
    private static readonly IPAddress Released = TestHost.HostUplinkAddress;
    private static readonly IPAddress Kept = IPAddress.Parse("198.51.100.3");
    private readonly ITestOutputHelper _output;
    private readonly TestHost _host = new();
    private readonly Conntrack _conntrack;

    public ConntrackTests(ITestOutputHelper output)
    {
        _output = output;
        try
        {
            var nft = Tool.TryRun("nsenter", [$"--net={_host.HostNamespacePath}", "--", "nft", "-f", "-"], TimeSpan.FromSeconds(30),
                "table inet flct {\n chain out {\n type filter hook output priority 0\n ct state established accept\n }\n}\n");
            Assert.True(nft.ExitCode == 0, nft.StandardError);
            Ip.Run("-n", _host.HostNamespaceName, "addr", "add", $"{Kept}/24", "dev", TestHost.UplinkName);
            _conntrack = Conntrack.Open(_host.HostNamespace);
        }
        catch
        {
            _host.Dispose(); // xunit does not dispose a test class whose constructor threw
            throw;
        }
    }

    [Fact]
    public void Deleting_by_endpoint_removes_the_flows_from_and_to_the_address_nated_or_not_and_keeps_the_others()
    {
        Assert.True(Nsenter.Ping(_host.HostNamespaceName, TestHost.OutsideAddress.ToString()));
        Assert.True(Nsenter.TryRun(_host.HostNamespaceName, "ping", "-c", "1", "-W", "1", "-I", Kept.ToString(), TestHost.OutsideAddress.ToString()).ExitCode == 0);
        using var outside = NetworkNamespace.Open(_host.OutsideNamespaceName);
        using var listener = outside.Run(() => Listen(TestHost.OutsideAddress));
        using var client = _host.HostNamespace.Run(() => Connect(Released, (IPEndPoint)listener.LocalEndPoint!));
        using var accepted = listener.Accept();
        Insert("-p", "udp", "-s", "10.4.0.1", "-d", "10.4.0.2", "--sport", "1", "--dport", "2",
            "--reply-src", Released.ToString(), "--reply-dst", "10.4.0.1", "--reply-port-src", "7", "--reply-port-dst", "1");
        Insert("-p", "udp", "-s", "10.5.0.1", "-d", Released.ToString(), "--sport", "3", "--dport", "4");
        Insert("-p", "udp", "-s", "10.9.0.1", "-d", "10.9.0.2", "--sport", "1", "--dport", "2");
        var before = Observed();
        _output.WriteLine(string.Join('\n', before));
        Assert.Contains(before, l => l.StartsWith("tcp", StringComparison.Ordinal) && l.Contains($"src={Released} ", StringComparison.Ordinal));
        Assert.Contains(before, l => l.StartsWith("icmp", StringComparison.Ordinal) && l.Contains($"src={Released} ", StringComparison.Ordinal));
        Assert.Contains(before, l => l.StartsWith("icmp", StringComparison.Ordinal) && l.Contains($"src={Kept} ", StringComparison.Ordinal));
        Assert.Equal(before.Count, _conntrack.Count());
        Assert.Contains(_conntrack.List(), e => e.Original.Protocol == 6 && e.Original.Source.Equals(Released) &&
                                                e.Original.DestinationPort == ((IPEndPoint)listener.LocalEndPoint!).Port);

        _conntrack.DeleteByEndpoint(Released);

        var after = Observed();
        _output.WriteLine(string.Join('\n', after));
        Assert.DoesNotContain(after, l => l.Contains($"={Released} ", StringComparison.Ordinal));
        Assert.Contains(after, l => l.Contains($"src={Kept} ", StringComparison.Ordinal));
        Assert.Contains(after, l => l.Contains("src=10.9.0.1 ", StringComparison.Ordinal));
        Assert.Equal(after.Count, _conntrack.Count());
        Assert.DoesNotContain(_conntrack.List(), e => e.Involves(Released));
    }

    /// <summary>
    /// The kernel's IPv6 flush filter deletes the entries that do not match; deleting by an IPv6 address must
    /// take the dump-and-delete path and leave the other IPv6 entries alone.
    /// </summary>
    [Fact]
    public void Deleting_an_ipv6_address_spares_the_other_ipv6_entries()
    {
        Insert("-p", "udp", "-s", "fd00::2", "-d", "fd00::9", "--sport", "53", "--dport", "5353");
        Insert("-p", "tcp", "-s", "fd00::7", "-d", "fd00::2", "--sport", "4000", "--dport", "80", "--state", "ESTABLISHED");
        Insert("-p", "udp", "-s", "fd00::3", "-d", "fd00::4", "--sport", "53", "--dport", "5353");
        Insert("-p", "udp", "-s", "10.9.0.1", "-d", "10.9.0.2", "--sport", "1", "--dport", "2");

        _conntrack.DeleteByEndpoint(IPAddress.Parse("fd00::2"));

        var after = Observed();
        _output.WriteLine(string.Join('\n', after));
        Assert.Equal(2, after.Count);
        Assert.Contains(after, l => l.Contains("src=fd00::3 ", StringComparison.Ordinal));
        Assert.Contains(after, l => l.Contains("src=10.9.0.1 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Deleting_an_entry_that_is_gone_is_a_typed_not_found_error()
    {
        Insert("-p", "udp", "-s", "10.9.0.1", "-d", "10.9.0.2", "--sport", "1", "--dport", "2");
        var entry = Assert.Single(_conntrack.List(AddressFamily.InterNetwork));
        _conntrack.Delete(entry);

        var error = Assert.Throws<Fireline.Linux.KernelObjectNotFoundException>(() => _conntrack.Delete(entry));
        Assert.Equal(Fireline.Linux.KernelObjectKind.Conntrack, error.Kind);
        Assert.StartsWith("conntrack -D -p 17 -s 10.9.0.1 -d 10.9.0.2 --sport 1 --dport 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _conntrack.Count());
    }

    private void Insert(params string[] arguments)
        => Nsenter.Run(_host.HostNamespaceName, "conntrack", ["-I", "-t", "120", .. arguments]);

    /// <summary><c>conntrack -L</c> in the host namespace, one line per entry.</summary>
    private List<string> Observed()
        => [.. Nsenter.Run(_host.HostNamespaceName, "conntrack", "-L").Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static Socket Listen(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.Listen();
        return socket;
    }

    private static Socket Connect(IPAddress source, IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        socket.Connect(server);
        return socket;
    }

    public void Dispose()
    {
        _conntrack.Dispose();
        _host.Dispose();
    }
}
