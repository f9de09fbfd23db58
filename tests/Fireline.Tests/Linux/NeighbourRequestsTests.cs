using System.Net;
using System.Net.Sockets;
using Fireline.Linux;
using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Tests.Linux;

public sealed class NeighbourRequestsTests
{
    private const int Br0 = 2;

    [Fact]
    public void Replace_permanent_matches_iproute2()
    {
        // ip neigh replace 10.100.0.2 lladdr 06:00:0a:00:00:02 dev br0 nud permanent
        Golden.Equal(
            "30 00 00 00 1c 00 05 05 00 00 00 00 00 00 00 00 02 00 00 00 02 00 00 00 80 00 00 00 08 00 01 00 0a 64 00 02 " +
            "0a 00 02 00 06 00 0a 00 00 02 00 00",
            NeighbourRequests.Replace(new NetlinkRequest(), new Neighbour(Br0, IPAddress.Parse("10.100.0.2"))
            {
                LinkLayerAddress = MacAddress.Parse("06:00:0a:00:00:02"),
            }));
    }

    [Fact]
    public void Add_ipv6_permanent_matches_iproute2()
    {
        // ip neigh add fd00::2 lladdr 06:00:0a:00:00:02 dev br0 nud permanent
        Golden.Equal(
            "3c 00 00 00 1c 00 05 06 00 00 00 00 00 00 00 00 0a 00 00 00 02 00 00 00 80 00 00 00 " +
            "14 00 01 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02 0a 00 02 00 06 00 0a 00 00 02 00 00",
            NeighbourRequests.Add(new NetlinkRequest(), new Neighbour(Br0, IPAddress.Parse("fd00::2"))
            {
                LinkLayerAddress = MacAddress.Parse("06:00:0a:00:00:02"),
                State = NeighbourState.Permanent,
            }));
    }

    [Fact]
    public void Add_proxy_matches_iproute2()
    {
        // ip neigh add proxy 10.100.0.2 dev br0
        Golden.Equal(
            "24 00 00 00 1c 00 05 06 00 00 00 00 00 00 00 00 02 00 00 00 02 00 00 00 80 00 08 00 08 00 01 00 0a 64 00 02",
            NeighbourRequests.Add(new NetlinkRequest(), Neighbour.Proxy(Br0, IPAddress.Parse("10.100.0.2"))));
    }

    [Fact]
    public void Delete_and_delete_proxy_match_iproute2()
    {
        // ip neigh del 10.100.0.2 dev br0
        Golden.Equal(
            "24 00 00 00 1d 00 05 00 00 00 00 00 00 00 00 00 02 00 00 00 02 00 00 00 80 00 00 00 08 00 01 00 0a 64 00 02",
            NeighbourRequests.Delete(new NetlinkRequest(), new Neighbour(Br0, IPAddress.Parse("10.100.0.2")) { LinkLayerAddress = MacAddress.Parse("06:00:0a:00:00:02") }));
        // ip neigh del proxy 10.100.0.2 dev br0
        Golden.Equal(
            "24 00 00 00 1d 00 05 00 00 00 00 00 00 00 00 00 02 00 00 00 02 00 00 00 80 00 08 00 08 00 01 00 0a 64 00 02",
            NeighbourRequests.Delete(new NetlinkRequest(), Neighbour.Proxy(Br0, IPAddress.Parse("10.100.0.2"))));
    }

    [Fact]
    public void List_of_one_link_matches_iproute2()
    {
        // ip neigh show dev br0 (sent with sendto: strace -e trace=sendto)
        Golden.Equal(
            "24 00 00 00 1e 00 01 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 08 00 08 00 02 00 00 00",
            NeighbourRequests.List(new NetlinkRequest(), AddressFamily.Unspecified, Br0, proxies: false));
    }

    [Fact]
    public void Operation_text_reads_like_the_ip_command()
    {
        var request = NeighbourRequests.Replace(new NetlinkRequest(), new Neighbour(Br0, IPAddress.Parse("10.0.0.2")) { LinkLayerAddress = MacAddress.Parse("06:00:0a:00:00:02") });
        Assert.Equal("ip neigh replace 10.0.0.2 lladdr 06:00:0a:00:00:02 dev 2 nud permanent", Assert.Single(request.Messages).Operation);
        request = NeighbourRequests.Add(new NetlinkRequest(), Neighbour.Proxy(Br0, IPAddress.Parse("10.0.0.2")));
        Assert.Equal("ip neigh add proxy 10.0.0.2 dev 2", Assert.Single(request.Messages).Operation);
    }
}
