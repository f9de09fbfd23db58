using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    /// <summary>The effective user id: the one the kernel checks file access and ownership against. Never fails.</summary>
    [LibraryImport(Name, EntryPoint = "geteuid")]
    internal static partial uint Geteuid();
}
