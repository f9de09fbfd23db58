using System.Diagnostics;
using System.Globalization;

namespace Fireline.TestSupport.Wire;

/// <summary>
/// A raw packet socket on one interface of one namespace (AF_PACKET, through a small Python process): it sends
/// frames exactly as given, and records every frame that arrives, in order. For a guest stand-in's eth0, what
/// it sends goes out of the VM's TAP as the guest's own frames, and what it records is what the guest would get.
/// </summary>
/// <remarks>
/// "Did not arrive" is decided without waiting on a clock: after the frame that must not pass, a test sends one
/// that must pass along the same path (a sentinel). Each hop handles frames in order, so once the sentinel is
/// recorded, anything sent before it that was let through is recorded too.
/// </remarks>
public sealed class RawWire : IDisposable
{
    private const string Script = """
        import os, socket, struct, sys, threading
        said = threading.Lock()
        def say(line):
            # Two threads report, and print() writes a text and its newline separately: a line must go out whole.
            with said:
                os.write(1, (line + "\n").encode())
        wire = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        wire.bind((sys.argv[1], 0))
        # The kernel takes an 802.1Q tag off a frame it receives before a packet socket sees it, and tells the
        # tag apart (PACKET_AUXDATA): put back where it was, the frame is recorded as it crossed the wire.
        wire.setsockopt(263, 8, 1)
        def record():
            while True:
                frame, ancillary, _, address = wire.recvmsg(65536, socket.CMSG_SPACE(32))
                for level, kind, data in ancillary:
                    if level == 263 and kind == 8:
                        status, _, _, _, _, tci, tpid = struct.unpack("IIIHHHH", data[:20])
                        if status & 0x10:
                            frame = frame[:12] + struct.pack("!HH", tpid if status & 0x40 else 0x8100, tci) + frame[12:]
                if address[2] != socket.PACKET_OUTGOING:
                    say("R " + frame.hex())
        threading.Thread(target=record, daemon=True).start()
        say("ready")
        for line in sys.stdin:
            wire.send(bytes.fromhex(line.strip()))
            say("S")
        """;

    /// <summary>How long a frame that must arrive may take: only a failing test ever waits this long (a heavily loaded machine starves the socket process for seconds).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly List<byte[]> _received = [];
    private readonly object _gate = new(); // Monitor.Wait needs a monitor
    private int _sent;
    private bool _ended;

    public RawWire(string netnsPath, string link)
    {
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { $"--net={netnsPath}", "--", "python3", "-c", Script, link })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the raw socket");
        var ready = new TaskCompletionSource();
        _process.OutputDataReceived += (_, e) => Record(e.Data, ready);
        _process.BeginOutputReadLine();
        if (!ready.Task.Wait(Patience))
        {
            Dispose();
            throw new InvalidOperationException($"the raw socket could not open {link} in {netnsPath}");
        }
    }

    /// <summary>Sends one frame as it is and waits until the socket has sent it.</summary>
    public void Send(byte[] frame)
    {
        int before;
        lock (_gate)
        {
            before = _sent;
        }

        _process.StandardInput.WriteLine(Convert.ToHexString(frame));
        _process.StandardInput.Flush();
        lock (_gate)
        {
            while (_sent == before)
            {
                if (_ended || !Monitor.Wait(_gate, Patience))
                {
                    throw new TimeoutException("the raw socket did not send the frame");
                }
            }
        }
    }

    /// <summary>Whether a frame carrying <paramref name="marker"/> has been recorded.</summary>
    public bool Seen(byte[] marker)
    {
        lock (_gate)
        {
            return _received.Any(f => f.AsSpan().IndexOf(marker) >= 0);
        }
    }

    /// <summary>Whether a recorded frame satisfies <paramref name="match"/>.</summary>
    public bool Seen(Func<byte[], bool> match)
    {
        lock (_gate)
        {
            return _received.Any(match);
        }
    }

    /// <summary>Waits until a frame carrying <paramref name="marker"/> arrives (a sentinel); fails after a long time.</summary>
    public void WaitFor(byte[] marker)
    {
        lock (_gate)
        {
            while (!_received.Any(f => f.AsSpan().IndexOf(marker) >= 0))
            {
                if (_ended || !Monitor.Wait(_gate, Patience))
                {
                    throw new TimeoutException($"no frame with marker {Convert.ToHexString(marker)} arrived within {Patience.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
                }
            }
        }
    }

    private void Record(string? line, TaskCompletionSource ready)
    {
        lock (_gate)
        {
            if (line is null)
            {
                _ended = true;
            }
            else if (line == "ready")
            {
                ready.TrySetResult();
            }
            else if (line == "S")
            {
                _sent++;
            }
            else if (line.StartsWith("R ", StringComparison.Ordinal))
            {
                _received.Add(Convert.FromHexString(line.AsSpan(2)));
            }

            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
        _process.StandardInput.Dispose(); // written directly: Process.Dispose leaves it open
        _process.Dispose();
    }
}
