namespace Fireline.Linux.Netlink;

/// <summary>Netlink families Fireline talks to.</summary>
internal enum NetlinkProtocol
{
    Route = 0,
    SockDiag = 4,
    Netfilter = 12,
}
