using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Unlink(string path);
}
