using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    // SAFETY: address must point to a writable SockaddrNl and length to its size, which the kernel overwrites.
    [LibraryImport(Name, EntryPoint = "getsockname", SetLastError = true)]
    internal static unsafe partial int GetSockName(SafeFd fd, SockaddrNl* address, uint* length);
}
