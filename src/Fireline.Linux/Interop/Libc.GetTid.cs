using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "gettid")]
    internal static partial int GetTid();
}
