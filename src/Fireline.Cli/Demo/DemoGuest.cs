using System.Diagnostics;
using System.Globalization;
using Fireline.Vms;

namespace Fireline.Cli.Demo;

/// <summary>
/// A demo guest: QEMU (software emulation) started in the VM's namespace on Fireline's TAP, booting the
/// project's guest image (guest/README.md) in serve mode, so probes can be sent to it batch by batch over its
/// serial console. Dispose kills QEMU.
/// </summary>
internal sealed class DemoGuest : IDisposable
{
    private readonly Process _qemu;
    private readonly List<string> _lines = [];
    private readonly object _gate = new(); // Monitor.Wait needs a monitor object
    private int _batches;
    private int _disposed;
    private bool _ended;

    public DemoGuest(string name, VmRecord vm, GuestImage image)
    {
        Name = name;
        Vm = vm;
        var start = new ProcessStartInfo("nsenter") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments =
        [
            $"--net={vm.NetnsPath}", "--", "qemu-system-x86_64", "-accel", "tcg", "-m", "256", "-nographic", "-no-reboot",
            "-kernel", image.Kernel, "-initrd", image.Initrd,
            "-append", $"console=ttyS0 quiet panic=-1 fireline.lifetime=600 {vm.BootArgs} fireline.probe=serve",
            "-netdev", $"tap,id=n0,ifname={vm.TapDevice},script=no,downscript=no",
            "-device", $"virtio-net-pci,netdev=n0,mac={vm.GuestMac},romfile=",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _qemu = Process.Start(start) ?? throw new InvalidOperationException("cannot start qemu-system-x86_64");
        _qemu.OutputDataReceived += (_, e) => Add(e.Data);
        _qemu.ErrorDataReceived += (_, e) => Add(e.Data);
        _qemu.BeginOutputReadLine();
        _qemu.BeginErrorReadLine();
    }

    public string Name { get; }

    public VmRecord Vm { get; }

    /// <summary>Waits until the guest configured its network and is ready for probes.</summary>
    public void WaitReady(TimeSpan timeout) => Wait(l => l == "FIRELINE DONE boot", timeout);

    /// <summary>Runs one probe step (guest/README.md's language) and returns whether it succeeded.</summary>
    public (bool Ok, string Detail) Probe(string step, TimeSpan timeout)
    {
        var batch = string.Create(CultureInfo.InvariantCulture, $"d{++_batches}");
        _qemu.StandardInput.Write($"{batch} {step}\n");
        _qemu.StandardInput.Flush();
        Wait(l => l == "FIRELINE DONE " + batch, timeout);
        var line = Wait(l => l.StartsWith($"PROBE {step} ", StringComparison.Ordinal), TimeSpan.Zero);
        var rest = line[($"PROBE {step} ".Length)..];
        return (rest.StartsWith("OK", StringComparison.Ordinal), rest.Length > 3 ? rest[3..].Trim() : "");
    }

    private void Add(string? line)
    {
        lock (_gate)
        {
            // null: a stream ended (QEMU exited or was killed); waiters must notice at once.
            if (line is null)
            {
                _ended = true;
            }
            else
            {
                _lines.Add(FromReport(line).Trim());
            }

            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// The line from its report marker on: the guest starts every report on a fresh line, but firmware output
    /// without a newline ("Booting from ROM..") may still share it.
    /// </summary>
    private static string FromReport(string line)
    {
        var markers = new[] { line.IndexOf("FIRELINE ", StringComparison.Ordinal), line.IndexOf("PROBE ", StringComparison.Ordinal) }.Where(at => at >= 0).ToList();
        return markers.Count > 0 ? line[markers.Min()..] : line;
    }

    private string Wait(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                var found = _lines.LastOrDefault(match);
                if (found is not null)
                {
                    return found;
                }

                if (_lines.FirstOrDefault(l => l.StartsWith("FIRELINE ERROR", StringComparison.Ordinal)) is { } error)
                {
                    throw new InvalidOperationException($"guest {Name}: {error}");
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || _ended)
                {
                    throw new TimeoutException($"guest {Name} did not answer in time; its console ends with:\n  " +
                        string.Join("\n  ", _lines.TakeLast(8)));
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Stops QEMU; safe from any thread (a signal handler) and more than once.</summary>
    public void Kill()
    {
        try
        {
            _qemu.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited or disposed.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Kill();
            _qemu.WaitForExit();
            _qemu.StandardInput.Dispose(); // written directly: Process.Dispose leaves it open
            _qemu.Dispose();
        }
    }
}

/// <summary>The guest kernel and initramfs guest/build.sh makes.</summary>
internal sealed record GuestImage(string Kernel, string Initrd)
{
    /// <summary>Finds guest/out in the given directory, else near the working directory or the executable.</summary>
    public static GuestImage Find(string? directory)
    {
        var candidates = directory is not null
            ? [directory]
            : new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory }
                .SelectMany(d => Ancestors(d).Select(a => Path.Combine(a, "guest", "out")));
        foreach (var candidate in candidates)
        {
            var image = new GuestImage(Path.Combine(candidate, "vmlinuz"), Path.Combine(candidate, "initrd.img"));
            if (File.Exists(image.Kernel) && File.Exists(image.Initrd))
            {
                return image;
            }
        }

        throw Errors.DomainErrors.Unsupported(
            "no guest image: run scripts/setup.sh (it builds guest/out with guest/build.sh), or name it with --guest-dir", "--guest-dir");
    }

    private static IEnumerable<string> Ancestors(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            yield return current.FullName;
        }
    }
}
