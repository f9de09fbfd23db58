using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fireline.Linux.SockDiag;

/// <summary>struct inet_diag_sockid (linux/inet_diag.h): a socket's addresses and ports, in network byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InetDiagSockId
{
    public ushort SourcePort;
    public ushort DestinationPort;
    public InetDiagAddress Source;
    public InetDiagAddress Destination;
    public uint Interface;
    public uint Cookie0; // __u32 idiag_cookie[2]: two 4-byte halves, so the struct keeps the kernel's 4-byte alignment
    public uint Cookie1;
}

/// <summary>__be32 idiag_src[4] (or idiag_dst): an IPv4 address in the first 4 bytes, an IPv6 one in all 16.</summary>
[InlineArray(16)]
internal struct InetDiagAddress
{
    private byte _first;
}

/// <summary>struct inet_diag_req_v2: which sockets a SOCK_DIAG_BY_FAMILY dump returns (family, protocol, states).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InetDiagReqV2
{
    public byte Family;
    public byte Protocol;
    public byte Extensions;
    public byte Pad;
    public uint States;
    public InetDiagSockId Id;
}

/// <summary>struct inet_diag_msg: one socket of a dump.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InetDiagMsg
{
    public byte Family;
    public byte State;
    public byte Timer;
    public byte Retransmits;
    public InetDiagSockId Id;
    public uint Expires;
    public uint ReceiveQueue;
    public uint SendQueue;
    public uint Uid;
    public uint Inode;
}
