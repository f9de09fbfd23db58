using System.Globalization;

namespace Fireline.TestSupport;

/// <summary>A constructed sysfs tree: <c>class/net/PF/device/sriov_*</c> and <c>virtfnN/net/NAME/</c>, as drivers lay it out.</summary>
public sealed class SysfsTree : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("fireline-sysfs-").FullName;

    /// <summary>A PF with <paramref name="total"/> possible VFs, the given ones enabled, each with its netdev name (null: no netdev).</summary>
    public SysfsTree Pf(string name, int total, params string?[] vfNetdevs)
    {
        var device = Path.Combine(Root, "class", "net", name, "device");
        Directory.CreateDirectory(device);
        File.WriteAllText(Path.Combine(device, "sriov_totalvfs"), total.ToString(CultureInfo.InvariantCulture) + "\n");
        File.WriteAllText(Path.Combine(device, "sriov_numvfs"), vfNetdevs.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        for (var i = 0; i < vfNetdevs.Length; i++)
        {
            var net = Path.Combine(device, $"virtfn{i}", "net");
            Directory.CreateDirectory(net);
            if (vfNetdevs[i] is { } netdev)
            {
                Directory.CreateDirectory(Path.Combine(net, netdev));
            }
        }

        return this;
    }

    /// <summary>A NIC without SR-IOV: it has a device directory but no sriov_totalvfs.</summary>
    public SysfsTree Plain(string name)
    {
        Directory.CreateDirectory(Path.Combine(Root, "class", "net", name, "device"));
        return this;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
