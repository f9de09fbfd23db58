using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    /// <summary>Replaces <paramref name="newPath"/> atomically; a symlink there is replaced, never followed.</summary>
    [LibraryImport(Name, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Rename(string oldPath, string newPath);
}
