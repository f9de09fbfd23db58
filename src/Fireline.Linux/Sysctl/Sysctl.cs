using System.Text;
using Fireline.Linux.Interop;
using Fireline.Linux.Namespaces;

// Namespace Fireline.Linux, not one named after the folder: it would shadow the class of the same name.
namespace Fireline.Linux;

/// <summary>
/// Kernel parameters under <c>/proc/sys</c>. The <c>net.*</c> ones are per network namespace, and the kernel
/// picks the namespace when the file is opened, from the opening thread (not from the /proc mount): so
/// <see cref="Read(string)"/> and <see cref="Write(string, string)"/> act in the calling thread's namespace,
/// and the overloads taking a <see cref="NetworkNamespace"/> open the file on that namespace's worker thread.
/// Keys other than <c>net.*</c> are machine-wide whatever the namespace.
/// <para>
/// A key is written the way <c>sysctl</c> takes it, <c>net.ipv4.conf.br-vms.proxy_arp</c> (dots become
/// slashes), or as the path under <c>/proc/sys</c>, <c>net/ipv4/conf/br.1/proxy_arp</c>: a key with any
/// '/' is taken as a path as it is. Interface names may contain dots, so use the slash form for keys that
/// name one that might.
/// </para>
/// </summary>
public static class Sysctl
{
    private const string Root = "/proc/sys/";

    /// <summary>
    /// The value in the calling thread's namespace, without the trailing newline (several values stay
    /// tab-separated). Throws <see cref="KernelObjectNotFoundException"/> (kind Sysctl) for an unknown key.
    /// <c>sysctl -n KEY</c>
    /// </summary>
    public static string Read(string key)
    {
        var path = PathOf(key);
        var operation = $"sysctl -n {key}";
        using var fd = Open(path, Libc.O_RDONLY, operation, key);
        var content = new MemoryStream();
        Span<byte> chunk = stackalloc byte[4096];
        while (true)
        {
            var read = Libc.Read(fd, chunk, (nuint)chunk.Length);
            if (read < 0)
            {
                throw KernelException.FromLastError(KernelObjectKind.Sysctl, operation, key);
            }

            if (read == 0)
            {
                break;
            }

            content.Write(chunk[..(int)read]);
        }

        return Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length).TrimEnd('\n');
    }

    /// <summary>
    /// Sets the value in the calling thread's namespace. Throws <see cref="KernelObjectNotFoundException"/>
    /// (kind Sysctl) for an unknown key, <see cref="KernelException"/> with EINVAL for a value the kernel
    /// refuses. <c>sysctl -w KEY=VALUE</c>
    /// </summary>
    public static void Write(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = PathOf(key);
        var operation = $"sysctl -w {key}={value}";
        using var fd = Open(path, Libc.O_WRONLY, operation, key);
        // One write() of the whole value: proc handlers parse each write on its own, from offset zero.
        var bytes = Encoding.UTF8.GetBytes(value.EndsWith('\n') ? value : value + "\n");
        var written = Libc.Write(fd, bytes, (nuint)bytes.Length);
        if (written < 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Sysctl, operation, key);
        }

        if (written != bytes.Length)
        {
            throw new KernelException((int)Errno.EIO, operation, key, $"the kernel took {written} of {bytes.Length} bytes");
        }
    }

    /// <summary>The value inside <paramref name="ns"/>, whichever thread calls. <c>ip netns exec NS sysctl -n KEY</c></summary>
    public static string Read(NetworkNamespace ns, string key)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Run(() => Read(key));
    }

    /// <summary>Sets the value inside <paramref name="ns"/>, whichever thread calls. <c>ip netns exec NS sysctl -w KEY=VALUE</c></summary>
    public static void Write(NetworkNamespace ns, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ns.Run(() => Write(key, value));
    }

    /// <summary>
    /// The file for a key. Refuses keys that could leave <c>/proc/sys</c> or name a directory: an absolute
    /// path, empty, "." or ".." components.
    /// </summary>
    internal static string PathOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var relative = key.Contains('/', StringComparison.Ordinal) ? key : key.Replace('.', '/');
        if (key.Length == 0 || key[0] == '/' || key.Contains('\0', StringComparison.Ordinal) ||
            relative.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException(
                $"'{key}' is not a sysctl key: use net.ipv4.ip_forward or net/ipv4/conf/IFNAME/proxy_arp, without '..' or a leading '/'",
                nameof(key));
        }

        return Root + relative;
    }

    private static SafeFd Open(string path, int mode, string operation, string key)
    {
        var fd = Libc.Open(path, mode | Libc.O_CLOEXEC, 0);
        if (fd.IsInvalid)
        {
            throw KernelException.FromLastError(KernelObjectKind.Sysctl, operation, key);
        }

        return fd;
    }
}
