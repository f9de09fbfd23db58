using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    /// <summary>Gives the calling thread (only it) new namespaces of the kinds in <paramref name="flags"/>.</summary>
    [LibraryImport(Name, EntryPoint = "unshare", SetLastError = true)]
    internal static partial int Unshare(int flags);
}
