using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(SafeFd fd);
}
