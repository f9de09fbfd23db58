using System.Diagnostics;
using System.Globalization;

namespace Fireline.Linux.Namespaces;

/// <summary>Which network namespaces processes are in, read from /proc.</summary>
public static class NamespaceUsers
{
    private static readonly Lock Gate = new();
    private static Census? _last;

    /// <summary>
    /// Whether any process of the machine runs inside the namespace of inode <paramref name="inode"/> (its
    /// <c>/proc/PID/ns/net</c> names it), by a scan of /proc begun after <paramref name="since"/> (a
    /// <see cref="Stopwatch"/> timestamp): a process inside then and still inside is seen. A scan costs one readlink
    /// per process (about a millisecond for a thousand) and answers every question about a moment before it began, so
    /// a churn of slots given back shares one scan among many. A process that holds only a descriptor of the namespace,
    /// and has not entered it, is not seen.
    /// </summary>
    public static bool AnyInside(ulong inode, long since)
    {
        lock (Gate)
        {
            if (_last is not { } census || census.StartedAt <= since)
            {
                _last = census = Census.Take();
            }

            return census.Namespaces.Contains(inode);
        }
    }

    private sealed record Census(long StartedAt, HashSet<ulong> Namespaces)
    {
        public static Census Take()
        {
            var started = Stopwatch.GetTimestamp();
            var namespaces = new HashSet<ulong>();
            foreach (var entry in Directory.EnumerateDirectories("/proc"))
            {
                var name = Path.GetFileName(entry.AsSpan());
                if (name.IsEmpty || !char.IsAsciiDigit(name[0]))
                {
                    continue;
                }

                try
                {
                    // "net:[4026532281]"
                    if (new FileInfo(Path.Combine(entry, "ns", "net")).LinkTarget is { Length: > 6 } target &&
                        ulong.TryParse(target.AsSpan(5, target.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
                    {
                        namespaces.Add(inode);
                    }
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // The process exited meanwhile: it is in no namespace any more.
                }
            }

            return new Census(started, namespaces);
        }
    }
}
