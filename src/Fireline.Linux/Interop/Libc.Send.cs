using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    // SAFETY: buffer must point to at least length readable bytes that stay put (pinned) for the call.
    [LibraryImport(Name, EntryPoint = "send", SetLastError = true)]
    internal static unsafe partial nint Send(SafeFd fd, byte* buffer, nuint length, int flags);
}
