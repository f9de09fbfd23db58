using System.Net;
using System.Net.Sockets;
using Fireline.Linux;
using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Tests.Linux;

public sealed class AddressRequestsTests
{
    private const int Br0 = 2;

    [Fact]
    public void Add_ipv4_matches_iproute2()
    {
        // ip addr add 10.100.0.1/16 dev br0
        Golden.Equal(
            "28 00 00 00 14 00 05 06 00 00 00 00 00 00 00 00 02 10 00 00 02 00 00 00 08 00 02 00 0a 64 00 01 08 00 01 00 0a 64 00 01",
            AddressRequests.Add(new NetlinkRequest(), new Address(Br0, IPAddress.Parse("10.100.0.1"), 16)));
    }

    [Fact]
    public void Add_ipv4_with_broadcast_and_noprefixroute_matches_iproute2()
    {
        // ip addr add 10.1.2.3/24 broadcast 10.1.2.255 dev br0 noprefixroute
        Golden.Equal(
            "38 00 00 00 14 00 05 06 00 00 00 00 00 00 00 00 02 18 00 00 02 00 00 00 08 00 02 00 0a 01 02 03 08 00 04 00 0a 01 02 ff " +
            "08 00 08 00 00 02 00 00 08 00 01 00 0a 01 02 03",
            AddressRequests.Add(new NetlinkRequest(), new Address(Br0, IPAddress.Parse("10.1.2.3"), 24)
            {
                Broadcast = IPAddress.Parse("10.1.2.255"),
                Flags = AddressFlags.NoPrefixRoute,
            }));
    }

    [Fact]
    public void Add_ipv6_nodad_noprefixroute_matches_iproute2()
    {
        // ip addr add fd00::1/64 dev br0 nodad noprefixroute
        Golden.Equal(
            "48 00 00 00 14 00 05 06 00 00 00 00 00 00 00 00 0a 40 00 00 02 00 00 00 14 00 02 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 " +
            "08 00 08 00 02 02 00 00 14 00 01 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01",
            AddressRequests.Add(new NetlinkRequest(), new Address(Br0, IPAddress.Parse("fd00::1"), 64)
            {
                Flags = AddressFlags.NoDad | AddressFlags.NoPrefixRoute,
            }));
    }

    [Fact]
    public void Add_ipv6_nodad_alone_fits_in_the_header()
    {
        // ip addr add fd00::2/64 dev br0 nodad
        Golden.Equal(
            "40 00 00 00 14 00 05 06 00 00 00 00 00 00 00 00 0a 40 02 00 02 00 00 00 14 00 02 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02 " +
            "14 00 01 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02",
            AddressRequests.Add(new NetlinkRequest(), new Address(Br0, IPAddress.Parse("fd00::2"), 64) { Flags = AddressFlags.NoDad }));
    }

    [Fact]
    public void Delete_matches_iproute2()
    {
        // ip addr del 10.100.0.1/16 dev br0
        Golden.Equal(
            "28 00 00 00 15 00 05 00 00 00 00 00 00 00 00 00 02 10 00 00 02 00 00 00 08 00 02 00 0a 64 00 01 08 00 01 00 0a 64 00 01",
            AddressRequests.Delete(new NetlinkRequest(), new Address(Br0, IPAddress.Parse("10.100.0.1"), 16)));
    }

    [Fact]
    public void One_links_dump_carries_its_index_as_iproute2_does_under_strict_checking()
    {
        // ip -4 addr show dev br0 (iproute2 turns NETLINK_GET_STRICT_CHK on, so the kernel reads br0 alone)
        Golden.Equal(
            "18 00 00 00 16 00 01 03 00 00 00 00 00 00 00 00 02 00 00 00 02 00 00 00",
            AddressRequests.List(new NetlinkRequest(), AddressFamily.InterNetwork, Br0));
    }

    [Fact]
    public void Operation_text_reads_like_the_ip_command()
    {
        var request = AddressRequests.Add(new NetlinkRequest(), new Address(Br0, IPAddress.Parse("fd00::1"), 64) { Flags = AddressFlags.NoDad });

        var entry = Assert.Single(request.Messages);
        Assert.Equal("ip addr add fd00::1/64 dev 2 nodad", entry.Operation);
        Assert.Equal(KernelObjectKind.Address, entry.Kind);
        Assert.Equal("fd00::1/64", entry.ObjectName);
    }

    [Fact]
    public void Refuses_what_the_kernel_would_refuse_before_writing_anything()
    {
        var request = new NetlinkRequest();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Address(Br0, IPAddress.Parse("10.0.0.1"), 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Address(0, IPAddress.Parse("10.0.0.1"), 24));
        Assert.Throws<ArgumentException>(() => AddressRequests.Add(request,
            new Address(Br0, IPAddress.Parse("fd00::1"), 64) { Broadcast = IPAddress.Parse("10.0.0.255") }));
        Assert.Empty(request.Messages);
    }
}
