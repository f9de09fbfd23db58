using System.Runtime.InteropServices;
using System.Text;

namespace Fireline.Linux.Interop;

/// <summary>
/// <c>struct ifreq</c> as the tun ioctls read it: the name, then a union of which only <c>ifr_flags</c> is
/// used. The kernel copies all 40 bytes, so the size is fixed to the whole union.
/// </summary>
// SAFETY: a fixed buffer for the C array; it is only touched through a Span of its declared length.
[StructLayout(LayoutKind.Sequential, Size = 40)]
internal unsafe struct IfReq
{
    public const int NameSize = 16;

    public fixed byte ifr_name[NameSize];
    public short ifr_flags;

    /// <summary>A request for the interface <paramref name="name"/> (already validated: at most 15 bytes).</summary>
    public static IfReq Create(string name, short flags)
    {
        var request = new IfReq { ifr_flags = flags };
        var bytes = Encoding.UTF8.GetBytes(name);
        if (bytes.Length >= NameSize)
        {
            throw new ArgumentException($"'{name}' is longer than IFNAMSIZ - 1", nameof(name));
        }

        // The struct starts zeroed, so the name is NUL-terminated.
        bytes.CopyTo(new Span<byte>(request.ifr_name, NameSize));
        return request;
    }
}
