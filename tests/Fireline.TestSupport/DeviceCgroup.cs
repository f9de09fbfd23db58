using System.Globalization;

namespace Fireline.TestSupport;

/// <summary>
/// A cgroup (v1 devices controller) whose processes may open only the devices systemd's DevicePolicy=closed keeps
/// (null, zero, full, random, urandom, tty, ptmx, the ptys) and the character devices given: what systemd enforces
/// for a unit with DevicePolicy=closed and DeviceAllow=. Dispose removes it; its processes must have exited.
/// </summary>
/// <remarks>
/// Where the controller's hierarchy is not mounted at <c>/sys/fs/cgroup/devices</c> (a chroot that bound /sys
/// without its submounts, a minimal container), the test mounts the same hierarchy on a directory of its own for
/// the cgroup's lifetime, and unmounts it in Dispose.
/// </remarks>
public sealed class DeviceCgroup : IDisposable
{
    private const string SystemRoot = "/sys/fs/cgroup/devices";

    /// <summary>DevicePolicy=closed's pseudo-devices as major:minor of character devices.</summary>
    private static readonly string[] PseudoDevices = ["1:3", "1:5", "1:7", "1:8", "1:9", "5:0", "5:2", "136:*"];

    private readonly string? _mount;

    private DeviceCgroup(string root, string? mount, string name)
    {
        Root = root;
        _mount = mount;
        Path = System.IO.Path.Combine(root, name);
    }

    /// <summary>Where the devices hierarchy is mounted for this cgroup (a process's cgroup path is relative to it).</summary>
    public string Root { get; }

    public string Path { get; }

    /// <param name="name">A name unique to the test run (the test host's prefix).</param>
    /// <param name="devices">Device files the processes may open for reading and writing (DeviceAllow=PATH rw).</param>
    public static DeviceCgroup Create(string name, IEnumerable<string> devices)
    {
        string? mount = null;
        if (!File.Exists(System.IO.Path.Combine(SystemRoot, "devices.allow")))
        {
            mount = Directory.CreateTempSubdirectory("fl-devices-").FullName;
            var mounted = Tool.TryRun("mount", ["-t", "cgroup", "-o", "devices", "cgroup", mount], TimeSpan.FromSeconds(30));
            if (mounted.ExitCode != 0)
            {
                Directory.Delete(mount);
                throw new InvalidOperationException($"this test emulates DevicePolicy= with the cgroup v1 devices controller, which this kernel does not offer: {mounted.StandardError}");
            }
        }

        var cgroup = new DeviceCgroup(mount ?? SystemRoot, mount, name);
        try
        {
            Directory.CreateDirectory(cgroup.Path);
            File.WriteAllText(System.IO.Path.Combine(cgroup.Path, "devices.deny"), "a");
            foreach (var device in PseudoDevices)
            {
                File.WriteAllText(System.IO.Path.Combine(cgroup.Path, "devices.allow"), $"c {device} rwm");
            }

            foreach (var device in devices)
            {
                // stat's %t/%T: major and minor in hex.
                var numbers = Tool.Run("stat", "-L", "-c", "%t %T", device).Trim().Split(' ');
                var major = int.Parse(numbers[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var minor = int.Parse(numbers[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                File.WriteAllText(System.IO.Path.Combine(cgroup.Path, "devices.allow"), string.Create(CultureInfo.InvariantCulture, $"c {major}:{minor} rw"));
            }

            return cgroup;
        }
        catch
        {
            cgroup.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path);
        }

        if (_mount is not null)
        {
            Tool.Run("umount", _mount);
            Directory.Delete(_mount);
        }
    }
}
