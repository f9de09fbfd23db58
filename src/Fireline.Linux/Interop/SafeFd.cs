using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

/// <summary>A file descriptor that is closed exactly once. Zero is a valid descriptor; -1 is not.</summary>
public sealed class SafeFd : SafeHandle
{
    public SafeFd() : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    internal SafeFd(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    // open() and socket() return a 32-bit int, but a SafeHandle return takes the whole 64-bit register, whose
    // upper half the callee leaves zero: -1 arrives as 0xFFFFFFFF. Only the low 32 bits are the descriptor.
    public override bool IsInvalid => (int)handle.ToInt64() < 0;

    /// <summary>The raw descriptor, for kernel attributes that carry a descriptor number (IFLA_NET_NS_FD).</summary>
    public int Value => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => Libc.Close((int)handle.ToInt64()) == 0;
}
