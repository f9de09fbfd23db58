using System.Runtime.InteropServices;

namespace Fireline.Linux.Netlink;

/// <summary>
/// struct nfgenmsg: the header of every nfnetlink message (conntrack, nf_tables): the family, the version
/// (always 0), and a big-endian resource id (the subsystem, in an nf_tables batch's begin and end).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NfGenMsg
{
    public byte Family;
    public byte Version;
    public ushort ResourceId;
}
