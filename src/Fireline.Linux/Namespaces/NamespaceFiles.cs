using Fireline.Linux.Interop;

namespace Fireline.Linux.Namespaces;

/// <summary>Opening namespace files (/proc/thread-self/ns/net, /var/run/netns/NAME).</summary>
internal static class NamespaceFiles
{
    public static SafeFd OpenCurrentThread() => Open("/proc/thread-self/ns/net");

    public static SafeFd Open(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd.IsInvalid)
        {
            throw KernelException.FromLastError(KernelObjectKind.Namespace, $"open network namespace {path}", path);
        }

        return fd;
    }

    /// <summary>The (device, inode) pair that identifies a namespace, whatever path it was opened by.</summary>
    public static unsafe (ulong Device, ulong Inode) Identity(SafeFd fd)
    {
        Stat stat;
        if (Libc.Fstat(fd, &stat) != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Namespace, "fstat network namespace", null);
        }

        return (stat.st_dev, stat.st_ino);
    }
}
