using System.Runtime.InteropServices;

namespace Fireline.Linux.SockDiag;

/// <summary>struct inet_diag_sockid (linux/inet_diag.h): a socket's addresses and ports, in network byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct InetDiagSockId
{
    public ushort SourcePort;
    public ushort DestinationPort;
    public fixed byte Source[16];
    public fixed byte Destination[16];
    public uint Interface;
    public fixed uint Cookie[2];
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
