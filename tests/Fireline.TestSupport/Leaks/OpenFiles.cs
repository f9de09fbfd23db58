using System.Globalization;

namespace Fireline.TestSupport.Leaks;

/// <summary>
/// The process's open file descriptors that stand for something a test makes (sockets, pipes, namespace and
/// TAP handles, epoll and event fds, files such as a state database), each as its number and what it points to.
/// Left out: what the runtime opens for itself and keeps (its assemblies, their symbols and native libraries,
/// /dev/null, /dev/urandom, its double-mapped code memfd), the listing's own descriptor, and the handle on the
/// process's own network namespace that namespace workers go home to, opened once at their first use.
/// </summary>
public static class OpenFiles
{
    private static readonly string OwnNamespace = new FileInfo("/proc/self/ns/net").LinkTarget!;

    public static IReadOnlySet<string> Snapshot()
    {
        var open = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(entry).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed while listing (the listing's own descriptor, or another thread's)
            }

            if (target is not null && !IsRuntimes(target))
            {
                open.Add(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(entry)} -> {target}"));
            }
        }

        return open;
    }

    private static bool IsRuntimes(string target)
        => target is "/dev/null" or "/dev/urandom" || target == $"/proc/{Environment.ProcessId}/fd" || target == OwnNamespace ||
           target.StartsWith("/memfd:doublemapper", StringComparison.Ordinal) ||
           target.EndsWith(".dll", StringComparison.Ordinal) ||
           target.EndsWith(".pdb", StringComparison.Ordinal) ||
           target.EndsWith(".so", StringComparison.Ordinal) ||
           target.Contains(".so.", StringComparison.Ordinal);
}
