namespace Fireline.Linux.Netlink;

/// <summary>Netlink families Fireline talks to.</summary>
public enum NetlinkProtocol
{
    Route = 0,
    SockDiag = 4,
    Netfilter = 12,
}
