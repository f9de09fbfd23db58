using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class Libc
{
    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_DGRAM = 2;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int AF_INET = 2;

    [LibraryImport(Name, EntryPoint = "socket", SetLastError = true)]
    internal static partial SafeFd Socket(int domain, int type, int protocol);
}
