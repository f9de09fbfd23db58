using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    /// <summary>symlink(2): fails with EEXIST whatever the name holds (a file, a mount point, another link).</summary>
    [LibraryImport(Name, EntryPoint = "symlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Symlink(string target, string path);
}
