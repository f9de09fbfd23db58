using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    internal const int MSG_TRUNC = 0x20;

    // SAFETY: buffer must point to at least length writable bytes that stay put (pinned) for the call.
    [LibraryImport(Name, EntryPoint = "recv", SetLastError = true)]
    internal static unsafe partial nint Recv(SafeFd fd, byte* buffer, nuint length, int flags);
}
