using System.Globalization;

namespace Fireline.TestSupport;

/// <summary>
/// A cgroup (v1 devices controller) whose processes may open only the devices systemd's DevicePolicy=closed keeps
/// (null, zero, full, random, urandom, tty, ptmx, the ptys) and the character devices given: what systemd enforces
/// for a unit with DevicePolicy=closed and DeviceAllow=. Dispose removes it; its processes must have exited.
/// </summary>
public sealed class DeviceCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup/devices";

    /// <summary>DevicePolicy=closed's pseudo-devices as major:minor of character devices.</summary>
    private static readonly string[] PseudoDevices = ["1:3", "1:5", "1:7", "1:8", "1:9", "5:0", "5:2", "136:*"];

    private DeviceCgroup(string path) => Path = path;

    public string Path { get; }

    /// <summary>Whether this machine has the v1 devices controller to emulate DevicePolicy= with.</summary>
    public static bool Available => File.Exists(System.IO.Path.Combine(Root, "devices.allow"));

    /// <param name="name">A name unique to the test run (the test host's prefix).</param>
    /// <param name="devices">Device files the processes may open for reading and writing (DeviceAllow=PATH rw).</param>
    public static DeviceCgroup Create(string name, IEnumerable<string> devices)
    {
        var cgroup = new DeviceCgroup(System.IO.Path.Combine(Root, name));
        Directory.CreateDirectory(cgroup.Path);
        try
        {
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
    }
}
