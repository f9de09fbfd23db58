using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrNl
{
    public ushort nl_family;
    public ushort nl_pad;
    public uint nl_pid;
    public uint nl_groups;
}

internal static partial class Libc
{
    // SAFETY: address must point to a SockaddrNl that outlives the call, and length be its size.
    [LibraryImport(Name, EntryPoint = "bind", SetLastError = true)]
    internal static unsafe partial int Bind(SafeFd fd, SockaddrNl* address, uint length);
}
