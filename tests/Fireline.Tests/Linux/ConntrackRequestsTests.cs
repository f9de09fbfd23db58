using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Conntrack;
using Fireline.Linux.Netlink;

namespace Fireline.Tests.Linux;

/// <summary>
/// ctnetlink messages byte for byte, compared with what conntrack-tools 1.4.7 sends
/// (<c>strace -f -e trace=sendto -xx conntrack ...</c> in a throwaway namespace; seq and pid zeroed).
/// </summary>
public sealed class ConntrackRequestsTests
{
    private static readonly ConntrackEntry UdpV6 = new()
    {
        Family = AddressFamily.InterNetworkV6,
        Original = new ConntrackTuple
        {
            Source = IPAddress.Parse("fd00::1"), Destination = IPAddress.Parse("fd00::2"), Protocol = 17, SourcePort = 53, DestinationPort = 5353,
        },
        Reply = new ConntrackTuple
        {
            Source = IPAddress.Parse("fd00::2"), Destination = IPAddress.Parse("fd00::1"), Protocol = 17, SourcePort = 5353, DestinationPort = 53,
        },
    };

    /// <summary>
    /// <c>conntrack -D -f ipv6 -s fd00::1</c> sends, for the entry it found, the whole entry (both tuples,
    /// status, timeout, mark, ...). The kernel finds the entry by the original tuple alone; this is conntrack's
    /// message reduced to nfgenmsg + its CTA_TUPLE_ORIG, copied byte for byte.
    /// </summary>
    [Fact]
    public void Delete_by_tuple_matches_conntracks_original_tuple()
        => Assert.Equal(
            "60000000020105000000000000000000" + // IPCTNL_MSG_CT_DELETE, NLM_F_REQUEST|NLM_F_ACK
            "0a000000" + // nfgenmsg: AF_INET6, v0
            "4c000180" + // CTA_TUPLE_ORIG
            "2c000180" + "14000300fd000000000000000000000000000001" + "14000400fd000000000000000000000000000002" + // CTA_TUPLE_IP
            "1c000280" + "0500010011000000" + "0600020000350000" + "0600030014e90000", // CTA_TUPLE_PROTO: udp, 53 -> 5353
            Convert.ToHexStringLower(ConntrackRequests.Delete(new NetlinkRequest(), UdpV6).Bytes));

    /// <summary>
    /// <c>conntrack -C</c> sends IPCTNL_MSG_CT_GET_STATS with AF_UNSPEC and flags NLM_F_REQUEST; we add
    /// NLM_F_ACK, since the kernel's reply says NLM_F_MULTI and no NLMSG_DONE follows it.
    /// </summary>
    [Fact]
    public void Count_is_conntracks_stats_request_with_an_ack()
        => Assert.Equal("14000000050105000000000000000000" + "00000000",
            Convert.ToHexStringLower(ConntrackRequests.Count(new NetlinkRequest()).Bytes));

    /// <summary>
    /// Hand-checked: conntrack-tools 1.4.7 has no filtered flush (it dumps and deletes one by one). Two
    /// IPCTNL_MSG_CT_DELETE, each with the address as the source of one tuple and a CTA_FILTER naming that field
    /// (bit 0 = CTA_IP_SRC; CTA_FILTER_ORIG_FLAGS = 1, CTA_FILTER_REPLY_FLAGS = 2).
    /// </summary>
    [Fact]
    public void Delete_by_ipv4_endpoint_is_two_filtered_flushes_by_original_and_reply_source()
    {
        var request = ConntrackRequests.DeleteByEndpoint(new NetlinkRequest(), IPAddress.Parse("10.1.0.5"));

        string Flush(string tuple, string field, string filterType, string flag) =>
            "30000000020105000000000000000000" + "02000000" + // IPCTNL_MSG_CT_DELETE, ack; AF_INET
            "1000" + tuple + "80" + "0c000180" + "0800" + field + "00" + "0a010005" + // CTA_TUPLE_x { CTA_TUPLE_IP { CTA_IP_V4_x 10.1.0.5 } }
            "0c001980" + "0800" + filterType + "00" + flag + "000000"; // CTA_FILTER { CTA_FILTER_x_FLAGS flag }

        Assert.Equal(Flush("01", "01", "01", "01") + Flush("02", "01", "02", "01"), Convert.ToHexStringLower(request.Bytes));
        Assert.Equal(["conntrack -D -s 10.1.0.5", "conntrack -D -r 10.1.0.5"], request.Messages.Select(m => m.Operation));
    }

    [Fact]
    public void Filtered_flushes_refuse_ipv6_whose_kernel_filter_is_inverted()
        => Assert.Throws<ArgumentException>(() => ConntrackRequests.DeleteByEndpoint(new NetlinkRequest(), IPAddress.Parse("fd00::1")));

    /// <summary>One entry of <c>conntrack -L</c>'s dump as the kernel sent it (recvmsg capture).</summary>
    [Fact]
    public void Parses_a_dumped_entry()
    {
        var bytes = Convert.FromHexString(
            "c0000000000122000000000000000000020000003400018014000180080001000a030001080002000a0300021c00028005000100" +
            "1100000006000200003500000600030014e900003400028014000180080001000a030002080002000a0300011c000280050001001100" +
            "00000600020014e9000006000300003500000800030000000008080008000000000008000c00eac027bb08000b000000000108000700" +
            "0000004a1c001880080001000000000008000200000000000800030000000000");

        var entry = ConntrackRequests.Parse(new NetlinkMessage(bytes));

        Assert.Equal(AddressFamily.InterNetwork, entry.Family);
        Assert.Equal(IPAddress.Parse("10.3.0.1"), entry.Original.Source);
        Assert.Equal(IPAddress.Parse("10.3.0.2"), entry.Original.Destination);
        Assert.Equal(17, entry.Original.Protocol);
        Assert.Equal((ushort)53, entry.Original.SourcePort);
        Assert.Equal((ushort)5353, entry.Original.DestinationPort);
        Assert.Equal(IPAddress.Parse("10.3.0.2"), entry.Reply.Source);
        Assert.Equal((ushort)5353, entry.Reply.SourcePort);
        Assert.Equal(0xeac027bbu, entry.Id);
        Assert.Equal(8u, entry.Status);
        Assert.True(entry.Involves(IPAddress.Parse("10.3.0.2")));
        Assert.False(entry.Involves(IPAddress.Parse("10.3.0.3")));
    }
}
