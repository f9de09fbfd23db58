using System.Runtime.InteropServices;
using System.Text;
using Fireline.Linux.Interop;

namespace Fireline.Linux;

/// <summary>
/// Directories and files only their owner may open (0700 and 0600), whatever the umask: modes are given to
/// mkdir/open and set again on the result, since the umask can only take bits away from what was asked. A file
/// is never opened through a symlink (O_NOFOLLOW).
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates a directory 0700, and its missing parents 0700 too (nothing Fireline makes is open to others, and
    /// none of it can be renamed away by another user). Returns false when it already existed, left as it is.
    /// <c>mkdir -p -m 0700 PATH</c>
    /// </summary>
    public static bool CreateDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } parent && !Directory.Exists(parent))
        {
            CreateDirectory(parent);
        }

        if (Libc.Mkdir(full, (uint)DirectoryMode) != 0)
        {
            if (Marshal.GetLastPInvokeError() == (int)Errno.EEXIST)
            {
                return false;
            }

            throw KernelException.FromLastError(KernelObjectKind.Other, $"mkdir -m 0700 {full}", full);
        }

        FileDescriptor.Check(Libc.Chmod(full, (uint)DirectoryMode), $"chmod 0700 {full}", full);
        return true;
    }

    /// <summary>Opens a file for reading and writing, created 0600 when missing; an existing one is set to 0600.</summary>
    public static SafeFd Open(string path)
    {
        var file = Libc.Open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, (int)FileMode);
        if (file.IsInvalid)
        {
            throw KernelException.FromLastError(KernelObjectKind.Other, $"open {path}", path);
        }

        try
        {
            FileDescriptor.Check(Libc.Fchmod(file, (uint)FileMode), $"chmod 0600 {path}", path);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Replaces a file's content with <paramref name="text"/> (UTF-8), the file 0600.</summary>
    public static void Write(string path, string text)
    {
        using var file = Open(path);
        FileDescriptor.Check(Libc.Ftruncate(file, 0), $"truncate {path}", path);
        FileDescriptor.WriteAll(file, Encoding.UTF8.GetBytes(text), $"write {path}", path);
    }

    /// <summary>Sets an existing file to 0600; a missing one stays missing. <c>chmod 0600 PATH</c></summary>
    public static void Restrict(string path)
    {
        if (Libc.Chmod(path, (uint)FileMode) != 0 && Marshal.GetLastPInvokeError() != (int)Errno.ENOENT)
        {
            throw KernelException.FromLastError(KernelObjectKind.Other, $"chmod 0600 {path}", path);
        }
    }
}
