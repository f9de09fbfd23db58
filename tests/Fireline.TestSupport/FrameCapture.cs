using System.Diagnostics;

namespace Fireline.TestSupport;

/// <summary>
/// Records the IPv4 and ARP frames that cross one link in a namespace (AF_PACKET, through a small Python script:
/// no tcpdump here), one line each: <c>&lt;source MAC&gt; &lt;source IP&gt; &lt;destination IP&gt; &lt;protocol&gt;</c>,
/// where an ARP frame shows its sender and target address and the protocol <c>arp</c>. A capture on a VM's TAP
/// sees what the guest put on the wire before anything in the namespace filters it; ARP matters because a guest
/// that takes a new MAC or address must ask for its peer's MAC before it can send it anything else.
/// </summary>
public sealed class FrameCapture : IDisposable
{
    private const string Script = """
        import socket, sys
        wire = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        wire.bind((sys.argv[1], 0))
        print("ready", flush=True)
        while True:
            frame = wire.recv(65536)
            if frame[12:14] == b"\x08\x00":
                print(frame[6:12].hex(":"), socket.inet_ntoa(frame[26:30]), socket.inet_ntoa(frame[30:34]), frame[23], flush=True)
            elif frame[12:14] == b"\x08\x06":
                print(frame[6:12].hex(":"), socket.inet_ntoa(frame[28:32]), socket.inet_ntoa(frame[38:42]), "arp", flush=True)
        """;

    private readonly Process _process;
    private readonly List<string> _frames = [];

    public FrameCapture(string netnsPath, string link)
    {
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { $"--net={netnsPath}", "--", "python3", "-c", Script, link })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the capture");
        var ready = new TaskCompletionSource();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
            else if (e.Data is not null)
            {
                lock (_frames)
                {
                    _frames.Add(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        if (!ready.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            Dispose();
            throw new InvalidOperationException($"the capture could not open {link}");
        }
    }

    /// <summary>The frames seen so far.</summary>
    public IReadOnlyList<string> Frames
    {
        get
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
        _process.Dispose();
    }
}
