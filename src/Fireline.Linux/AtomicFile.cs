using System.Security.Cryptography;
using Fireline.Linux.Interop;

namespace Fireline.Linux;

/// <summary>
/// Replaces a file whole, so a reader sees the old content or the new one, never half of either, and no one
/// else's file is ever written through it.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to a new temporary file beside <paramref name="path"/> and renames it
    /// over the target. The temporary file is created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW) under an
    /// unpredictable name, so a file or symlink planted in the directory is never opened, let alone followed;
    /// its mode is set on the descriptor (the umask does not decide it), and it is flushed before the rename
    /// and the directory after it, so a crash leaves the old file or the whole new one. rename(2) replaces a
    /// symlink at the target itself instead of following it.
    /// <c>install -m MODE /dev/stdin PATH</c>, made atomic
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{RandomNumberGenerator.GetHexString(32, lowercase: true)}.tmp");
        var operation = $"write {full}";
        using (var file = Libc.Open(temporary, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, (int)mode))
        {
            if (file.IsInvalid)
            {
                throw KernelException.FromLastError(KernelObjectKind.Other, $"{operation} (create {temporary})", full);
            }

            try
            {
                FileDescriptor.Check(Libc.Fchmod(file, (uint)mode), operation, full);
                FileDescriptor.WriteAll(file, content, operation, full);
                FileDescriptor.Check(Libc.Fsync(file), operation, full);
            }
            catch
            {
                _ = Libc.Unlink(temporary);
                throw;
            }
        }

        if (Libc.Rename(temporary, full) != 0)
        {
            var error = KernelException.FromLastError(KernelObjectKind.Other, $"{operation} (rename)", full);
            _ = Libc.Unlink(temporary);
            throw error;
        }

        using var parent = Libc.Open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (parent.IsInvalid || Libc.Fsync(parent) != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Other, $"{operation} (fsync {directory})", full);
        }
    }
}
