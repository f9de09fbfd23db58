using Fireline.Linux.Interop;

namespace Fireline.Linux.Namespaces;

/// <summary>Opening namespace files (/proc/thread-self/ns/net, /var/run/netns/NAME).</summary>
internal static class NamespaceFiles
{
    public static SafeFd OpenCurrentThread() => Open("/proc/thread-self/ns/net");

    /// <summary>NS_GET_NSTYPE (linux/nsfs.h): the CLONE_NEW* kind of namespace a descriptor refers to.</summary>
    private const nuint NsGetNsType = 0xb703;

    /// <summary>Opens a namespace file and checks it is a network namespace, not any file at that path.</summary>
    public static SafeFd Open(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd.IsInvalid)
        {
            throw KernelException.FromLastError(KernelObjectKind.Namespace, $"open network namespace {path}", path);
        }

        if (Libc.Ioctl(fd, NsGetNsType, 0) != Libc.CLONE_NEWNET)
        {
            fd.Dispose();
            // ENOTTY: not a namespace file at all (a plain file, an unmounted name); another kind: not a network one.
            throw new NamespaceNotFoundException((int)Errno.ENOENT, $"open network namespace {path}", path, "not a network namespace");
        }

        return fd;
    }

    /// <summary>The (device, inode) pair that identifies a namespace, whatever path it was opened by.</summary>
    public static (ulong Device, ulong Inode) Identity(SafeFd fd)
    {
        if (Libc.Fstat(fd, out var stat) != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Namespace, "fstat network namespace", null);
        }

        return (stat.st_dev, stat.st_ino);
    }
}
