using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeFd fd, nuint request, nint argument);

    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeFd fd, nuint request, ref IfReq argument);

    /// <summary>An ioctl whose argument points to one int (or to a struct of that size whose fields are all zero).</summary>
    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeFd fd, nuint request, ref int argument);
}
