using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;

    [LibraryImport(Name, EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(SafeFd fd, int operation);
}
