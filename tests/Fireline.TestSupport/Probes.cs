using System.Diagnostics;
using System.Globalization;

namespace Fireline.TestSupport;

/// <summary>TCP probes run inside a namespace with Python (on every test machine): connect, and listen.</summary>
public static class Probes
{
    private const string Server = """
        import socket, sys
        if sys.argv[2] == "dual":
            server = socket.socket(socket.AF_INET6)
            server.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        else:
            server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("::" if sys.argv[2] == "dual" else "0.0.0.0", int(sys.argv[1])))
        server.listen()
        print("ready", flush=True)
        while True:
            connection, _ = server.accept()
            connection.close()
        """;

    /// <summary>True when a TCP connection to address:port from inside the namespace is accepted within 2 s.</summary>
    public static bool CanConnect(string ns, string address, int port)
        => Tool.TryRun("nsenter", [$"--net=/var/run/netns/{ns}", "--", "python3", "-c",
            $"import socket; socket.create_connection(('{address}', {port.ToString(CultureInfo.InvariantCulture)}), 2).close()"], TimeSpan.FromSeconds(60)).ExitCode == 0;

    private const string Client = """
        import socket, sys
        try:
            with socket.create_connection((sys.argv[1], int(sys.argv[2])), 5) as connection:
                connection.settimeout(10)
                print(connection.makefile().readline().strip())
        except ConnectionRefusedError:
            print("refused")
        except TimeoutError:
            print("timeout")
        """;

    /// <summary>
    /// What a TCP connection to address:port from inside the namespace gets: the first line the server sends,
    /// <c>refused</c> (a reset: nothing listens there), or <c>timeout</c> (no answer within 5 s: something drops
    /// the connection). The last two tell a firewall's drop from a port that is merely closed.
    /// </summary>
    public static string Answer(string ns, string address, int port)
        => Tool.Run("nsenter", $"--net=/var/run/netns/{ns}", "--", "python3", "-c", Client, address, port.ToString(CultureInfo.InvariantCulture)).Trim();

    /// <summary>
    /// Starts a TCP server inside the namespace on every IPv4 address, or with <paramref name="dualStack"/> on every
    /// IPv4 and IPv6 address (link-local included); stop it with <see cref="Stop"/>.
    /// </summary>
    public static Process Listen(string ns, int port, bool dualStack = false)
    {
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { $"--net=/var/run/netns/{ns}", "--", "python3", "-c", Server, port.ToString(CultureInfo.InvariantCulture), dualStack ? "dual" : "v4" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start a listener");
        if (process.StandardOutput.ReadLine() != "ready")
        {
            Stop(process);
            throw new InvalidOperationException($"the listener on port {port} did not start");
        }

        return process;
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.StandardOutput.Dispose(); // read directly: Process.Dispose leaves it open
        process.Dispose();
    }

    /// <summary>An HTTP request with curl from inside the namespace: the status code and the body.</summary>
    public static (string Status, string Body) Http(string ns, string url, params string[] curlArguments)
    {
        var output = Tool.Run("nsenter", [$"--net=/var/run/netns/{ns}", "--", "curl", "-s", "-m", "5", "-w", "\n%{http_code}", .. curlArguments, url]);
        var split = output.LastIndexOf('\n');
        return (output[(split + 1)..].Trim(), output[..split]);
    }
}
