using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    /// <summary>Changes a file's owner and group; -1 (as uint) leaves one of them as it is.</summary>
    [LibraryImport(Name, EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Chown(string path, uint owner, uint group);
}
