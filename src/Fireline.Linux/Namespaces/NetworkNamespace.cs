using System.Runtime.InteropServices;
using Fireline.Linux.Interop;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Namespaces;

/// <summary>
/// An open handle on a network namespace. Named namespaces are bind-mounted files under
/// <c>/var/run/netns</c>, as iproute2 makes them, so <c>ip netns</c> and Firecracker's jailer
/// (<c>--netns PATH</c>) see them. Work that must happen inside (open a TAP, open a netlink socket) runs on a
/// dedicated thread via <see cref="Run"/>; netlink sockets opened that way stay bound to the namespace.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    public const string DefaultRunDirectory = "/var/run/netns";
    private static readonly Lock SharedMountLock = new();
    private static readonly HashSet<string> SharedRunDirectories = [];

    private NetworkNamespace(SafeFd handle, string path, string? name)
    {
        Handle = handle;
        Path = path;
        Name = name;
    }

    internal SafeFd Handle { get; }

    /// <summary>The descriptor number, for kernel attributes that take one (IFLA_NET_NS_FD).</summary>
    public int FileDescriptor => Handle.Value;

    /// <summary>The path the namespace was opened by.</summary>
    public string Path { get; }

    /// <summary>The name under the run directory, for named namespaces.</summary>
    public string? Name { get; }

    /// <summary>The namespace the calling thread is in (for thread-pool threads: the process's own).</summary>
    public static NetworkNamespace Current() => new(NamespaceFiles.OpenCurrentThread(), "/proc/thread-self/ns/net", null);

    /// <summary>Opens a namespace by name (under <paramref name="runDirectory"/>) or by path (anything with a '/').</summary>
    public static NetworkNamespace Open(string nameOrPath, string runDirectory = DefaultRunDirectory)
    {
        var isPath = nameOrPath.Contains('/', StringComparison.Ordinal);
        if (!isPath)
        {
            ValidateName(nameOrPath);
        }

        var path = isPath ? nameOrPath : System.IO.Path.Combine(runDirectory, nameOrPath);
        return new NetworkNamespace(NamespaceFiles.Open(path), path, isPath ? null : nameOrPath);
    }

    /// <summary>True when a namespace file of that name is mounted under the run directory.</summary>
    public static bool Exists(string name, string runDirectory = DefaultRunDirectory)
        => File.Exists(System.IO.Path.Combine(runDirectory, name));

    /// <summary>The names of the namespaces under the run directory (<c>ip netns list</c>).</summary>
    public static IReadOnlyList<string> List(string runDirectory = DefaultRunDirectory)
    {
        if (!Directory.Exists(runDirectory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(runDirectory).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Creates a new namespace and mounts it as <paramref name="name"/>: <c>ip netns add NAME</c>.
    /// <paramref name="inside"/>, when given, runs inside the new namespace on the same thread hop (create a TAP,
    /// open a netlink socket, set sysctls), before the namespace is mounted: if it throws, nothing is mounted.
    /// </summary>
    public static NetworkNamespace Create(string name, Action? inside = null, string runDirectory = DefaultRunDirectory)
    {
        ValidateName(name);
        EnsureSharedRunDirectory(runDirectory);
        var path = System.IO.Path.Combine(runDirectory, name);
        CreateMountPoint(path, name);
        try
        {
            NamespaceWorker.RunInNew(name, () =>
            {
                // The work first, the mount after: a namespace appears under its name only once the work has made
                // it what it should be (a VM's namespace with its marked TAP), so a crash in between leaves no
                // half-made namespace for anyone to judge, only an empty mount point.
                inside?.Invoke();
                if (Libc.Mount("/proc/thread-self/ns/net", path, "none", Libc.MS_BIND, 0) != 0)
                {
                    throw KernelException.FromLastError(KernelObjectKind.Namespace, $"ip netns add {name} (bind mount)", name);
                }
            });
            return new NetworkNamespace(NamespaceFiles.Open(path), path, name);
        }
        catch
        {
            _ = Libc.Umount2(path, Libc.MNT_DETACH);
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Unmounts and removes a named namespace: <c>ip netns delete NAME</c>. The kernel frees it (and every
    /// link in it) once no process or descriptor holds it any more.
    /// </summary>
    public static void Delete(string name, string runDirectory = DefaultRunDirectory)
    {
        ValidateName(name);
        var path = System.IO.Path.Combine(runDirectory, name);
        if (Libc.Umount2(path, Libc.MNT_DETACH | Libc.UMOUNT_NOFOLLOW) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            // EINVAL: the file is there but nothing is mounted on it (a create cut short), or it is an alias (a link,
            // not followed): remove the name anyway; an alias's namespace stays under its own name.
            if (errno != (int)Errno.EINVAL)
            {
                throw KernelException.Create(errno, KernelObjectKind.Namespace, $"ip netns delete {name}", name);
            }
        }

        try
        {
            File.Delete(path);
        }
        catch (IOException error)
        {
            throw new KernelException(error.HResult & 0xffff, $"ip netns delete {name} (unlink)", name, error.Message);
        }
    }

    /// <summary>
    /// Mounts the namespace named <paramref name="from"/> under <paramref name="to"/> as well, then takes the old name
    /// away: the same namespace, with every device and process in it, under a new name (a bind mount and an unmount,
    /// no device touched). Throws <see cref="NamespaceExistsException"/> when <paramref name="to"/> is taken and
    /// <see cref="NamespaceNotFoundException"/> when nothing is mounted as <paramref name="from"/>; either way nothing
    /// changed. Cut short in between, the namespace is under both names.
    /// </summary>
    public static void Rename(string from, string to, string runDirectory = DefaultRunDirectory)
    {
        ValidateName(from);
        ValidateName(to);
        using var source = NamespaceFiles.Open(System.IO.Path.Combine(runDirectory, from));
        var target = System.IO.Path.Combine(runDirectory, to);
        CreateMountPoint(target, to);
        // Bound from the descriptor just checked to be a network namespace, whatever the old name holds meanwhile.
        if (Libc.Mount($"/proc/thread-self/fd/{source.Value}", target, "none", Libc.MS_BIND, 0) != 0)
        {
            var error = KernelException.FromLastError(KernelObjectKind.Namespace, $"ip netns rename {from} {to} (bind mount)", from);
            File.Delete(target);
            throw error;
        }

        Delete(from, runDirectory);
    }

    /// <summary>
    /// Gives the namespace mounted as <paramref name="existing"/> a second name, <paramref name="alias"/>: a symbolic link
    /// beside it (relative, so it names the same file in every mount namespace the run directory propagates to). Opening
    /// the alias (<c>ip netns exec</c>, the jailer's <c>--netns</c>) opens the namespace; no mount is made, so nothing waits
    /// out an unmount later: taking the alias away is an unlink. Throws <see cref="NamespaceNotFoundException"/> when no
    /// namespace is mounted as <paramref name="existing"/> (its kind is checked by whoever opens the alias) and
    /// <see cref="NamespaceExistsException"/> when <paramref name="alias"/> is taken; either way nothing changed.
    /// </summary>
    public static void Alias(string existing, string alias, string runDirectory = DefaultRunDirectory)
    {
        ValidateName(existing);
        ValidateName(alias);
        var path = System.IO.Path.Combine(runDirectory, existing);
        if (!NamespaceFiles.IsNamespaceFile(path))
        {
            throw new NamespaceNotFoundException((int)Errno.ENOENT, $"ln -s {existing} {alias}", existing, "no namespace is mounted there");
        }

        if (Libc.Symlink(existing, System.IO.Path.Combine(runDirectory, alias)) != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Namespace, $"ln -s {existing} {alias}", alias);
        }
    }

    /// <summary>The name <paramref name="name"/> is an alias of (see <see cref="Alias"/>), or null when it is no alias.</summary>
    public static string? AliasOf(string name, string runDirectory = DefaultRunDirectory)
    {
        ValidateName(name);
        return new FileInfo(System.IO.Path.Combine(runDirectory, name)).LinkTarget;
    }

    /// <summary>
    /// Removes a name under the run directory that no namespace is mounted on: the empty mount point a create cut
    /// short leaves. A name something is mounted on stays (the kernel refuses to unlink a mount point), so this can
    /// never take a namespace away, whoever's it is. Returns whether it removed a name.
    /// </summary>
    public static bool DeleteUnmounted(string name, string runDirectory = DefaultRunDirectory)
    {
        ValidateName(name);
        var path = System.IO.Path.Combine(runDirectory, name);
        if (Libc.Unlink(path) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is (int)Errno.ENOENT or (int)Errno.EBUSY
            ? false
            : throw KernelException.Create(errno, KernelObjectKind.Namespace, $"rm {path}", name);
    }

    /// <summary>Runs <paramref name="work"/> on a dedicated thread inside this namespace and waits for it.</summary>
    public void Run(Action work) => NamespaceWorker.Run(Handle, work);

    /// <summary>Runs <paramref name="work"/> on a dedicated thread inside this namespace and returns its result.</summary>
    public T Run<T>(Func<T> work)
    {
        T result = default!;
        NamespaceWorker.Run(Handle, () => result = work());
        return result;
    }

    /// <summary>Opens a netlink socket bound to this namespace; use it from any thread.</summary>
    internal NetlinkSocket OpenNetlink(NetlinkProtocol protocol) => Run(() => NetlinkSocket.Open(protocol));

    /// <summary>
    /// Opens one netlink socket inside each of <paramref name="namespaces"/>, in one thread hop (see
    /// <see cref="NamespaceWorker.RunEach"/>). The caller disposes the sockets.
    /// </summary>
    internal static IReadOnlyList<NetlinkSocket> OpenNetlinkEach(IReadOnlyList<NetworkNamespace> namespaces, NetlinkProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var sockets = new List<NetlinkSocket>(namespaces.Count);
        try
        {
            NamespaceWorker.RunEach(namespaces, _ => sockets.Add(NetlinkSocket.Open(protocol)));
            return sockets;
        }
        catch
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>True when both handles refer to the same namespace.</summary>
    public bool IsSameAs(NetworkNamespace other) => NamespaceFiles.Identity(Handle) == NamespaceFiles.Identity(other.Handle);

    /// <summary>The namespace's inode number, as <c>ls -L -i /var/run/netns/NAME</c> and /proc/PID/ns/net show it.</summary>
    public ulong Inode => NamespaceFiles.Identity(Handle).Inode;

    public void Dispose() => Handle.Dispose();

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name.Length > 255 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid namespace name", nameof(name));
        }
    }

    private static void CreateMountPoint(string path, string name)
    {
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0);
        if (fd.IsInvalid)
        {
            throw KernelException.FromLastError(KernelObjectKind.Namespace, $"ip netns add {name}", name);
        }

        fd.Dispose();
    }

    /// <summary>
    /// Makes the run directory a shared mount point, as iproute2 does, so namespace mounts made here propagate
    /// to other mount namespaces (the jailer's, a container's) and back.
    /// </summary>
    private static void EnsureSharedRunDirectory(string runDirectory)
    {
        lock (SharedMountLock)
        {
            if (SharedRunDirectories.Contains(runDirectory))
            {
                return;
            }

            Directory.CreateDirectory(runDirectory);
            if (Libc.Mount("none", runDirectory, "none", Libc.MS_SHARED | Libc.MS_REC, 0) != 0)
            {
                if (Marshal.GetLastPInvokeError() != (int)Errno.EINVAL ||
                    Libc.Mount(runDirectory, runDirectory, "none", Libc.MS_BIND | Libc.MS_REC, 0) != 0 ||
                    Libc.Mount("none", runDirectory, "none", Libc.MS_SHARED | Libc.MS_REC, 0) != 0)
                {
                    throw KernelException.FromLastError(KernelObjectKind.Namespace, $"mount --make-rshared {runDirectory}", runDirectory);
                }
            }

            SharedRunDirectories.Add(runDirectory);
        }
    }
}
