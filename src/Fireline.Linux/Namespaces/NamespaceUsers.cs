using System.Globalization;

namespace Fireline.Linux.Namespaces;

/// <summary>Which processes are inside a network namespace, read from /proc.</summary>
public static class NamespaceUsers
{
    /// <summary>
    /// Whether any process of the machine runs inside the namespace of inode <paramref name="inode"/> (its
    /// <c>/proc/PID/ns/net</c> names it): one readlink per process, about a millisecond for a thousand processes. A
    /// process that holds only a descriptor of the namespace, and has not entered it, is not seen.
    /// </summary>
    public static bool AnyInside(ulong inode)
    {
        var wanted = $"net:[{inode.ToString(CultureInfo.InvariantCulture)}]";
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(entry.AsSpan());
            if (name.IsEmpty || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            try
            {
                if (new FileInfo(Path.Combine(entry, "ns", "net")).LinkTarget == wanted)
                {
                    return true;
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // The process exited meanwhile: it is in no namespace any more.
            }
        }

        return false;
    }
}
