using System.Text;
using Fireline.Errors;
using Fireline.Linux;

namespace Fireline.Tuning;

/// <summary>
/// The tuning profile as a sysctl.d file, applied at every boot by systemd-sysctl. It has one fixed place,
/// <see cref="Name"/> in <see cref="SystemDirectory"/>: a file name taken from a caller would let anyone who may
/// call Fireline replace any file root can write.
/// </summary>
public static class TuningFile
{
    /// <summary>Where systemd-sysctl reads profiles (the CLI and the daemon always use it; tests, a temporary one).</summary>
    public const string SystemDirectory = "/etc/sysctl.d";

    /// <summary>Late in the order (90), so the profile wins over distribution defaults (10-, 50-) and yields to 99-.</summary>
    public const string Name = "90-fireline.conf";

    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes the profile to <see cref="Name"/> in <paramref name="directory"/>, replacing any earlier one whole
    /// (see <see cref="AtomicFile.Replace"/>), mode 0644 as every sysctl.d file. A key this kernel lacks is written
    /// with systemd-sysctl's '-' prefix: applied when its module is there, ignored otherwise. Returns the path.
    /// </summary>
    public static string Write(string directory, IReadOnlyList<TunedSetting> settings)
    {
        var text = new StringBuilder();
        text.Append("# Written by 'fireline host tune --write': sysctls for a host of Firecracker VMs.\n");
        text.Append("# Replaced whole on each write; edit the profile, not this file.\n");
        foreach (var setting in settings)
        {
            text.Append($"\n# {setting.Reason} ({(setting.Scope == SysctlScope.Machine ? "machine-wide" : "per network namespace")})\n");
            text.Append($"{(setting.Current is null ? "-" : "")}{setting.Key} = {setting.Wanted}\n");
        }

        var path = Path.Combine(directory, Name);
        try
        {
            AtomicFile.Replace(path, Encoding.UTF8.GetBytes(text.ToString()), Mode);
        }
        catch (KernelException error)
        {
            throw DomainErrors.Kernel("writing the tuning profile (host tune --write)", error);
        }

        return path;
    }
}
