using System.Runtime.InteropServices;

namespace Fireline.Linux.Conntrack;

/// <summary>struct nfgenmsg: the header of every nfnetlink message (family, version, big-endian resource id).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NfGenMsg
{
    public byte Family;
    public byte Version;
    public ushort ResourceId;
}
