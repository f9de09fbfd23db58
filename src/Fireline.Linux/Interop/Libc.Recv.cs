using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    internal const int MSG_TRUNC = 0x20;

    [LibraryImport(Name, EntryPoint = "recv", SetLastError = true)]
    internal static unsafe partial nint Recv(SafeFd fd, byte* buffer, nuint length, int flags);
}
