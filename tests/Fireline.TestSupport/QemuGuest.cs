using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Fireline.Vms;

namespace Fireline.TestSupport;

/// <summary>
/// A real guest VM on a Fireline TAP: QEMU with software emulation (no KVM here), started in the VM's namespace
/// through nsenter, booting <see cref="GuestImage"/> with the VM's MAC and boot arguments. Its /init configures
/// eth0, runs the probe and prints results on the serial console, which this class reads. A guest whose probe
/// ends with <see cref="Probe.Serve"/> stays up and takes further batches through <see cref="Run"/>. Dispose
/// kills QEMU and waits for it, so no guest outlives its test (and its namespace can be freed).
/// </summary>
public sealed partial class QemuGuest : IDisposable
{
    /// <summary>How long a boot or a batch may take. A boot takes about 3 s on an idle machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    // A guest whose test process died without disposing it powers off by itself after this long.
    private const int LifetimeSeconds = 300;

    private readonly Process _qemu;
    private readonly List<string> _lines = [];
    private readonly object _gate = new(); // Monitor.Wait needs a monitor, not a System.Threading.Lock
    private int _openStreams = 2;
    private int _batches;
    private string _lastBatch = "boot";
    private bool _disposed;

    /// <summary>
    /// Boots a guest on <paramref name="tapDevice"/> in the namespace at <paramref name="netnsPath"/>.
    /// <paramref name="bootArgs"/> are added to the kernel command line as they are (Fireline's <c>ip=...</c>,
    /// or nothing for a guest that derives its address from its MAC).
    /// </summary>
    public QemuGuest(string netnsPath, string tapDevice, string mac, string bootArgs, string probe)
        : this(netnsPath, GuestImage.Initrd, 256, $"{bootArgs} fireline.probe={probe}", [(tapDevice, mac)])
    {
    }

    /// <summary>
    /// Boots <paramref name="initrd"/> with <paramref name="memoryMiB"/> of memory, one virtio NIC per TAP of
    /// <paramref name="nics"/> (eth0, eth1, ... in that order), <paramref name="arguments"/> on the kernel command line.
    /// </summary>
    private QemuGuest(string netnsPath, string initrd, int memoryMiB, string arguments, IReadOnlyList<(string Tap, string Mac)> nics)
    {
        var commandLine = string.Create(CultureInfo.InvariantCulture,
            $"console=ttyS0 quiet panic=-1 fireline.lifetime={LifetimeSeconds} {arguments}");
        var start = new ProcessStartInfo("nsenter")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        List<string> argumentList =
        [
            $"--net={netnsPath}", "--", "qemu-system-x86_64", "-accel", "tcg", "-m", memoryMiB.ToString(CultureInfo.InvariantCulture), "-nographic", "-no-reboot",
            "-kernel", GuestImage.Kernel, "-initrd", initrd, "-append", commandLine,
        ];
        foreach (var (index, (tap, mac)) in nics.Index())
        {
            argumentList.AddRange(
            [
                "-netdev", string.Create(CultureInfo.InvariantCulture, $"tap,id=n{index},ifname={tap},script=no,downscript=no"),
                // romfile= leaves out the iPXE option ROM: nothing boots from the network.
                "-device", string.Create(CultureInfo.InvariantCulture, $"virtio-net-pci,netdev=n{index},mac={mac},romfile="),
            ]);
        }

        foreach (var argument in argumentList)
        {
            start.ArgumentList.Add(argument);
        }

        _qemu = new Process { StartInfo = start };
        _qemu.OutputDataReceived += (_, e) => Append(e.Data);
        _qemu.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!_qemu.Start())
        {
            throw new InvalidOperationException("cannot start nsenter qemu-system-x86_64");
        }

        _qemu.BeginOutputReadLine();
        _qemu.BeginErrorReadLine();
    }

    /// <summary>
    /// Boots the test host (<see cref="GuestImage.HostInitrd"/>: Fireline itself on Debian's kernel, guest/README.md)
    /// in the namespace at <paramref name="netnsPath"/>, its eth0, eth1, ... on <paramref name="nics"/>, and waits
    /// until it takes commands (<see cref="Execute"/>).
    /// </summary>
    public static QemuGuest BootTestHost(string netnsPath, IReadOnlyList<(string Tap, string Mac)> nics)
    {
        var host = new QemuGuest(netnsPath, GuestImage.HostInitrd, 512, "", nics);
        try
        {
            host.WaitForLine(l => l == "FIRELINE DONE boot", DefaultTimeout);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Boots a guest for a VM record, with the record's boot arguments.</summary>
    public static QemuGuest Boot(VmRecord vm, string probe) => new(vm.NetnsPath, vm.TapDevice, vm.GuestMac, vm.BootArgs, probe);

    /// <summary>Everything the guest printed so far (and QEMU's own errors): the message of a failed assertion.</summary>
    public string Transcript
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>How the guest configured its network (waits for its FIRELINE NET line).</summary>
    public GuestNetwork Network() => GuestNetwork.Parse(WaitForLine(l => l.StartsWith("FIRELINE NET ", StringComparison.Ordinal), DefaultTimeout))!;

    /// <summary>The results of a batch by step text, once the guest has finished it: <c>boot</c> is the probe it booted with.</summary>
    public IReadOnlyDictionary<string, ProbeResult> Results(string batch = "boot")
    {
        WaitForLine(l => l == "FIRELINE DONE " + batch, DefaultTimeout);
        lock (_gate)
        {
            // Batches run one after another, so a batch's PROBE lines are those after the DONE line before it.
            var end = _lines.IndexOf("FIRELINE DONE " + batch);
            var begin = end;
            while (begin > 0 && !_lines[begin - 1].StartsWith("FIRELINE DONE ", StringComparison.Ordinal))
            {
                begin--;
            }

            return _lines.GetRange(begin, end - begin).Select(ProbeResult.Parse).OfType<ProbeResult>()
                .ToDictionary(r => r.Step, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Runs further steps on a guest that serves (its probe ended with <see cref="Probe.Serve"/>) and returns
    /// their results.
    /// </summary>
    public IReadOnlyDictionary<string, ProbeResult> Run(params string[] steps)
    {
        Send(Probe.Steps(steps));
        return Results(_lastBatch);
    }

    /// <summary>
    /// Runs a shell command on the test host (<see cref="BootTestHost"/>) and returns its exit code and what it
    /// printed, line by line.
    /// </summary>
    public (int ExitCode, IReadOnlyList<string> Output) Execute(string command)
    {
        Send(command);
        WaitForLine(l => l == "FIRELINE DONE " + _lastBatch, DefaultTimeout);
        lock (_gate)
        {
            var end = _lines.IndexOf("FIRELINE DONE " + _lastBatch);
            var begin = _lines.FindLastIndex(end - 1, l => l.StartsWith("FIRELINE DONE ", StringComparison.Ordinal)) + 1;
            var batch = _lines.GetRange(begin, end - begin);
            var code = batch.Last(l => l.StartsWith("FIRELINE RC ", StringComparison.Ordinal));
            return (int.Parse(code.AsSpan("FIRELINE RC ".Length), CultureInfo.InvariantCulture),
                [.. batch.Where(l => l.StartsWith("OUT ", StringComparison.Ordinal)).Select(l => l["OUT ".Length..])]);
        }
    }

    /// <summary>Writes one batch line on the console, once the guest has finished the last one.</summary>
    private void Send(string text)
    {
        // The console drops what arrives before /init reads it: wait until the guest finished the last batch.
        WaitForLine(l => l == "FIRELINE DONE " + _lastBatch, DefaultTimeout);
        _lastBatch = string.Create(CultureInfo.InvariantCulture, $"b{++_batches}");
        _qemu.StandardInput.Write($"{_lastBatch} {text}\n");
        _qemu.StandardInput.Flush();
    }

    /// <summary>
    /// The byte count of the first connection a <see cref="Probe.SinkTcp"/> listener on <paramref name="port"/> read
    /// to its end (waits for its RECV line): the receiving side of a <see cref="Probe.SendTcp"/> measurement.
    /// </summary>
    public long ReceivedTcpBytes(int port)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"RECV tcp:{port} ");
        var line = WaitForLine(l => l.StartsWith(prefix, StringComparison.Ordinal), DefaultTimeout);
        return long.Parse(line.AsSpan(prefix.Length, line.IndexOf(' ', prefix.Length) - prefix.Length), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits for the first console line that <paramref name="match"/> accepts and returns it; fails with the
    /// transcript when the time runs out, the guest reports a set-up error or QEMU ends first.
    /// </summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            for (var next = 0; ; )
            {
                for (; next < _lines.Count; next++)
                {
                    if (match(_lines[next]))
                    {
                        return _lines[next];
                    }

                    if (_lines[next].StartsWith("FIRELINE ERROR ", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"the guest failed: {_lines[next]}\n{string.Join('\n', _lines)}");
                    }
                }

                var left = deadline - DateTime.UtcNow;
                if (_openStreams == 0 || left <= TimeSpan.Zero)
                {
                    var why = _openStreams == 0 ? "QEMU ended" : $"nothing within {timeout.TotalSeconds} s";
                    throw new TimeoutException($"{why}; the guest's console:\n{string.Join('\n', _lines)}");
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    private void Append(string? line)
    {
        lock (_gate)
        {
            if (line is null)
            {
                _openStreams--;
            }
            else
            {
                // The firmware and the kernel clear the screen with escape sequences: they are not part of a line.
                // The guest starts every report on a fresh line, but what the firmware printed without a newline
                // ("Booting from ROM..") may still share it: a report is read from its marker on, wherever it is.
                var text = TerminalControl().Replace(line, "");
                var report = ReportMarker().Match(text);
                _lines.Add(report.Success ? text[report.Index..] : text);
            }

            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_qemu.HasExited)
            {
                _qemu.Kill(); // nsenter execs QEMU: this is QEMU's own pid
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill: what Dispose wants.
        }

        _qemu.WaitForExit();
        _qemu.StandardInput.Dispose(); // written directly: Process.Dispose leaves it open
        _qemu.Dispose();
    }

    [GeneratedRegex(@"\x1B(\[[0-?]*[ -/]*[@-~]|.)|\r")]
    private static partial Regex TerminalControl();

    [GeneratedRegex("FIRELINE |PROBE |RECV ")]
    private static partial Regex ReportMarker();
}
