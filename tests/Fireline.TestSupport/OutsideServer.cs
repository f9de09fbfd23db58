using System.Diagnostics;

namespace Fireline.TestSupport;

/// <summary>A TCP server in the test host's outside namespace that reports each connecting peer's address.</summary>
public sealed class OutsideServer : IDisposable
{
    public const int Port = 18080;

    private const string Script = """
        import socket
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("0.0.0.0", 18080))
        server.listen()
        print("ready", flush=True)
        while True:
            connection, peer = server.accept()
            print(peer[0], flush=True)
            connection.close()
        """;

    private readonly Process _process;

    private OutsideServer(Process process) => _process = process;

    public static OutsideServer Start(TestHost host)
    {
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { $"--net=/var/run/netns/{host.OutsideNamespaceName}", "--", "python3", "-c", Script })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the outside server");
        if (process.StandardOutput.ReadLine() != "ready")
        {
            throw new InvalidOperationException("the outside server did not start");
        }

        return new OutsideServer(process);
    }

    /// <summary>The address of the first peer that connected (waits up to a minute: only a failing test waits that long).</summary>
    public string? FirstPeer()
    {
        var line = _process.StandardOutput.ReadLineAsync();
        return line.Wait(TimeSpan.FromSeconds(60)) ? line.Result : null;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.StandardOutput.Dispose(); // read directly: Process.Dispose leaves it open
        _process.Dispose();
    }
}
