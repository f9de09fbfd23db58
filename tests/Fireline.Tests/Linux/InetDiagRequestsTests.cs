using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Netlink;
using Fireline.Linux.SockDiag;

namespace Fireline.Tests.Linux;

/// <summary>
/// inet_diag messages byte for byte, compared with iproute2 6.1's ss (<c>strace -e trace=sendmsg,recvmsg -e write=3
/// -e read=3 ss -tlnH</c> in a throwaway namespace; seq and pid zeroed).
/// </summary>
public sealed class InetDiagRequestsTests
{
    [Theory]
    [InlineData(ProtocolType.Tcp, AddressFamily.InterNetwork, "0206")]
    [InlineData(ProtocolType.Tcp, AddressFamily.InterNetworkV6, "0a06")]
    [InlineData(ProtocolType.Udp, AddressFamily.InterNetwork, "0211")]
    [InlineData(ProtocolType.Udp, AddressFamily.InterNetworkV6, "0a11")]
    public void Listening_matches_ss_dash_l(ProtocolType protocol, AddressFamily family, string familyAndProtocol)
        => Golden.Equal(
            "48000000 1400 0103 00000000 00000000" + // SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST|NLM_F_DUMP
            familyAndProtocol + "0000" + "80040000" + // idiag_ext 0, states 1<<TCP_CLOSE | 1<<TCP_LISTEN
            new string('0', 96), // inet_diag_sockid: any
            InetDiagRequests.Listening(new NetlinkRequest(), protocol, family));

    /// <summary>ss's dump of one TCP socket listening on [::1]:8080 (inet_diag_msg and the attributes after it).</summary>
    [Fact]
    public void A_listening_socket_is_read_from_the_kernels_reply()
    {
        var reply = Convert.FromHexString(
            "84000000140002000000000000000000" + "0a0a0000" + "1f900000" +
            "00000000000000000000000000000001" + "00000000000000000000000000000000" + "13000000" + "0000000000000000" +
            "00000000" + "00000000" + "80000000" + "00000000" + "979f0f00" +
            "0500080000000000" + "05000b0001000000" + "08000f0000000000" + "0c0015000100000000000000" + "0600160012000000");

        var socket = InetDiagRequests.Parse(new NetlinkMessage(reply), ProtocolType.Tcp);

        Assert.Equal(new BoundSocket { Protocol = ProtocolType.Tcp, Address = IPAddress.IPv6Loopback, Port = 8080, Uid = 0 }, socket);
        Assert.Equal("tcp [::1]:8080", socket!.ToString());
        Assert.Null(InetDiagRequests.Parse(new NetlinkMessage(reply), ProtocolType.Udp)); // LISTEN is no state of a UDP socket
    }
}
