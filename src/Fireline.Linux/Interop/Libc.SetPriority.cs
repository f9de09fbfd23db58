using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    /// <summary>setpriority(2)'s "which" for one process, or on Linux one thread by its tid.</summary>
    internal const int PRIO_PROCESS = 0;

    [LibraryImport(Name, EntryPoint = "setpriority", SetLastError = true)]
    internal static partial int SetPriority(int which, int who, int priority);
}
