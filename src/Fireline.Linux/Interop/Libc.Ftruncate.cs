using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "ftruncate", SetLastError = true)]
    internal static partial int Ftruncate(SafeFd fd, long length);
}
