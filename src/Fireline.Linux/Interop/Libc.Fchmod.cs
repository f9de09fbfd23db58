using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    /// <summary>Sets a file's mode through its descriptor: the mode asked for, whatever the umask took from open()'s.</summary>
    [LibraryImport(Name, EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int Fchmod(SafeFd fd, uint mode);
}
