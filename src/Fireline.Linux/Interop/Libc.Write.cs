using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(SafeFd fd, ReadOnlySpan<byte> buffer, nuint count);
}
