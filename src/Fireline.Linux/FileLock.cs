using System.Runtime.InteropServices;
using Fireline.Linux.Interop;

namespace Fireline.Linux;

/// <summary>Advisory whole-file locks (flock(2)): held by an open file description, dropped by the kernel when it closes.</summary>
public static class FileLock
{
    /// <summary>
    /// Takes an exclusive lock without waiting: false when another open file description holds a lock on the
    /// file. The lock lasts while the descriptor is open, and goes with it even when its process is killed.
    /// <c>flock --exclusive --nonblock PATH</c>
    /// </summary>
    public static bool TryExclusive(SafeFd file, string path)
    {
        while (Libc.Flock(file, Libc.LOCK_EX | Libc.LOCK_NB) != 0)
        {
            switch ((Errno)Marshal.GetLastPInvokeError())
            {
                case Errno.EINTR:
                    continue;
                case Errno.EAGAIN:
                    return false;
                default:
                    throw KernelException.FromLastError(KernelObjectKind.Other, $"flock --exclusive --nonblock {path}", path);
            }
        }

        return true;
    }
}
