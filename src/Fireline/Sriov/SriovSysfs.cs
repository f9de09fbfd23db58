using System.Globalization;

namespace Fireline.Sriov;

/// <summary>
/// Finds SR-IOV physical functions and their VFs under a sysfs root (<c>/sys</c>, or a constructed tree in tests).
/// VF netdev names are read from <c>virtfnN/net/</c>, never made up from the PF's name: drivers name VFs as they
/// like (<c>ens1f0v3</c>, <c>eth7</c>). A VF whose netdev was moved into another namespace has no entry there.
/// </summary>
public static class SriovSysfs
{
    public static IReadOnlyList<PhysicalFunction> Discover(string root)
    {
        var net = Path.Combine(root, "class", "net");
        if (!Directory.Exists(net))
        {
            return [];
        }

        var functions = new List<PhysicalFunction>();
        foreach (var pf in Directory.EnumerateFileSystemEntries(net).Order(StringComparer.Ordinal))
        {
            var device = Path.Combine(pf, "device");
            if (ReadNumber(Path.Combine(device, "sriov_totalvfs")) is not { } total || total == 0)
            {
                continue;
            }

            var name = Path.GetFileName(pf);
            var enabled = ReadNumber(Path.Combine(device, "sriov_numvfs")) ?? 0;
            var vfs = new List<VirtualFunction>();
            for (var index = 0; index < enabled; index++)
            {
                var vfNet = Path.Combine(device, $"virtfn{index.ToString(CultureInfo.InvariantCulture)}", "net");
                if (Directory.Exists(vfNet) && Directory.EnumerateFileSystemEntries(vfNet).Order(StringComparer.Ordinal).FirstOrDefault() is { } netdev)
                {
                    vfs.Add(new VirtualFunction(name, index, Path.GetFileName(netdev)));
                }
            }

            functions.Add(new PhysicalFunction(name, total, enabled, vfs));
        }

        return functions;
    }

    private static int? ReadNumber(string path)
        => File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out var value) ? value : null;
}
