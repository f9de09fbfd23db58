using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Fireline.Host;
using Fireline.Linux.Namespaces;
using Fireline.TestSupport;
using Xunit.Abstractions;

namespace Fireline.IntegrationTests.Daemon;

/// <summary>
/// TCP clients without the token cannot starve the daemon: hundreds of idle connections to <c>--listen</c> and
/// <c>--metrics-listen</c> leave the Unix-socket API answering, each listener holds a bounded number of
/// connections and closes those that send no request they may make; their refusals are counted in the log, not
/// written one line each; and a token file others could read is refused at start.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class DaemonListenerTests : IDisposable
{
    private const int ApiPort = 19_201;
    private const int MetricsPort = 19_202;
    private const string Token = "0123456789abcdef0123456789abcdef";

    /// <summary>What both listeners hold at most: <c>ListenerGuard</c>'s limits.</summary>
    private const int ListenerLimits = 64 + 8;
    private readonly ITestOutputHelper _output;
    private readonly EngineHost _env = new();
    private readonly string _secrets = Directory.CreateTempSubdirectory("fireline-token-").FullName;
    private readonly string _token;

    public DaemonListenerTests(ITestOutputHelper output)
    {
        _output = output;
        _env.Engine.InitHost(new HostInitRequest());
        _env.Engine.Dispose();
        _token = Path.Combine(_secrets, "token");
        File.WriteAllText(_token, Token + "\n");
        File.SetUnixFileMode(_token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private IReadOnlyList<string> Listeners =>
        ["--listen", $"{TestHost.HostUplinkAddress}:{ApiPort}", "--token-file", _token, "--metrics-listen", $"{TestHost.HostUplinkAddress}:{MetricsPort}"];

    [Fact]
    public void Hundreds_of_idle_tcp_connections_leave_the_unix_socket_answering_and_are_closed()
    {
        using var daemon = new DaemonProcess(_env, Listeners);
        var idle = new List<Socket>();
        try
        {
            idle.AddRange(Connect(ApiPort, 300));
            idle.AddRange(Connect(MetricsPort, 100));

            foreach (var (method, path, body) in new[] { ("GET", "/healthz", null), ("GET", "/v1/vms", null), ("PUT", $"/v1/vms/{_env.Host.VmId("busy")}", "{}") })
            {
                var started = Stopwatch.GetTimestamp();
                var answer = daemon.Send(method, path, body);
                _output.WriteLine($"{method} {path} on the Unix socket with 400 idle TCP connections: {answer.Status} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms");
                Assert.True(answer.Status == 200, answer.Body);
            }

            // Past each listener's limit a connection is closed at once; within it, once it has sent nothing by the deadline.
            Eventually.True(() => idle.Count(Closed) >= 400 - ListenerLimits, "connections past the listeners' limits are closed at once", seconds: 30);
            Eventually.True(() => idle.All(Closed), "idle connections are closed after the admission deadline", seconds: 30);
            Assert.Equal("200", Probes.Http(_env.Host.OutsideNamespaceName, $"http://{TestHost.HostUplinkAddress}:{ApiPort}/v1/vms", "-H", $"Authorization: Bearer {Token}").Status);
            Assert.Equal("200", Probes.Http(_env.Host.OutsideNamespaceName, $"http://{TestHost.HostUplinkAddress}:{MetricsPort}/metrics").Status);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Refused_requests_are_counted_in_a_few_log_lines_not_logged_one_by_one()
    {
        using var daemon = new DaemonProcess(_env, Listeners);

        var sent = Flood(ApiPort, "/v1/vms", 300) + Flood(MetricsPort, "/v1/vms", 300);

        var lines = daemon.Log.Split('\n');
        var unauthorized = lines.Count(l => l.Contains("refused with unauthorized", StringComparison.Ordinal));
        var offMetrics = lines.Count(l => l.Contains("refused on the metrics listener", StringComparison.Ordinal));
        _output.WriteLine($"{sent} refused requests, {unauthorized} + {offMetrics} log lines");
        Assert.Equal(600, sent);
        Assert.InRange(unauthorized, 1, 10);
        Assert.InRange(offMetrics, 1, 10);
        Assert.DoesNotContain(lines, l => l.Contains("-> 401", StringComparison.Ordinal) || l.Contains("-> 404", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("640", null, "chmod 600")]
    [InlineData("604", null, "chmod 600")]
    [InlineData("600", "65534", "belongs to uid 65534")]
    public void A_token_file_others_can_read_or_another_user_owns_is_refused_at_start(string mode, string? owner, string expected)
    {
        Tool.Run("chmod", mode, _token);
        if (owner is not null)
        {
            Tool.Run("chown", owner, _token);
        }

        var socket = Path.Combine(_secrets, "never.sock");
        var result = Cli.Run([.. _env.CliScope, "--socket", socket, "serve", .. Listeners]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--token-file", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(socket));
    }

    /// <summary>Opens TCP connections from the outside namespace to the test host's uplink address, sending nothing.</summary>
    private List<Socket> Connect(int port, int count)
    {
        using var outside = NetworkNamespace.Open(_env.Host.OutsideNamespaceName);
        return outside.Run(() =>
        {
            var sockets = new List<Socket>();
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Connect(new IPEndPoint(TestHost.HostUplinkAddress, port)); // the kernel accepts into the backlog
            }

            return sockets;
        });
    }

    /// <summary>Whether the daemon closed the connection: readable with nothing to read (end of stream), or reset.</summary>
    private static bool Closed(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Receive(new byte[1], SocketFlags.Peek) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>Sends <paramref name="count"/> requests without a token from the outside namespace (keep-alive, reconnecting when closed); returns how many were refused.</summary>
    private int Flood(int port, string path, int count)
    {
        const string Script = """
            import http.client, sys
            host, port, path, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
            refused, connection = 0, http.client.HTTPConnection(host, port, timeout=10)
            for _ in range(count):
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                except (ConnectionError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=10)
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                refused += response.status in (401, 404)
            print(refused)
            """;
        return int.Parse(Nsenter.Run(_env.Host.OutsideNamespaceName, "python3", "-c", Script, TestHost.HostUplinkAddress.ToString(), port.ToString(System.Globalization.CultureInfo.InvariantCulture), path, count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _env.Dispose();
        Directory.Delete(_secrets, recursive: true);
    }
}
