using Fireline.Linux.Interop;

namespace Fireline.Linux.Namespaces;

/// <summary>Opening namespace files (/proc/thread-self/ns/net, /var/run/netns/NAME).</summary>
internal static class NamespaceFiles
{
    public static SafeFd OpenCurrentThread() => Open("/proc/thread-self/ns/net");

    /// <summary>NS_GET_NSTYPE (linux/nsfs.h): the CLONE_NEW* kind of namespace a descriptor refers to.</summary>
    private const nuint NsGetNsType = 0xb703;

    /// <summary>The file type bits of st_mode, and a regular file's (what a namespace file is: nsfs shows it as one).</summary>
    private const uint TypeMask = 0xF000;
    private const uint RegularFile = 0x8000;

    /// <summary>
    /// Opens a namespace file and checks it is a network namespace, not any file at that path. The path may come from a
    /// caller (a CNI runtime's <c>CNI_NETNS</c>): it is looked at through O_PATH first, which reads nothing, and opened
    /// for reading only when it is a regular file, so a FIFO (which would block) or a device (whose open may act) is
    /// never opened.
    /// </summary>
    public static SafeFd Open(string path)
    {
        using var handle = Libc.Open(path, Libc.O_PATH | Libc.O_CLOEXEC, 0);
        if (handle.IsInvalid || Libc.Fstat(handle, out var stat) != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Namespace, $"open network namespace {path}", path);
        }

        if ((stat.st_mode & TypeMask) != RegularFile)
        {
            throw new NamespaceNotFoundException((int)Errno.ENOENT, $"open network namespace {path}", path, "not a network namespace");
        }

        // Reopened through the O_PATH descriptor: the same inode that was checked, whatever the path names meanwhile.
        var fd = Libc.Open($"/proc/thread-self/fd/{handle.Value}", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
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

    /// <summary>
    /// Whether <paramref name="path"/> names a namespace file (of any kind): its inode lives on nsfs, the kernel's one
    /// file system of namespace files. One system call (a stat, which follows the mount as an open would) and no open of
    /// the file itself: cheaper than <see cref="Open"/>, for a caller that only names the namespace (an alias) and leaves
    /// its kind to whoever opens it.
    /// </summary>
    public static bool IsNamespaceFile(string path) => Libc.StatPath(path, out var stat) == 0 && stat.st_dev == NsfsDevice.Value;

    private static readonly Lazy<ulong> NsfsDevice = new(() =>
    {
        using var own = OpenCurrentThread();
        return Identity(own).Device;
    });
}
