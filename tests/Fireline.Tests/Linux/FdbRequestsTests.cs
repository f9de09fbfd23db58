using System.Net;
using Fireline.Linux;
using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Tests.Linux;

public sealed class FdbRequestsTests
{
    private const int Vx = 3;

    [Fact]
    public void Append_of_a_vxlan_default_destination_matches_iproute2()
    {
        // bridge fdb append 00:00:00:00:00:00 dev vx-1 dst 192.0.2.11 self permanent
        Golden.Equal(
            "30 00 00 00 1c 00 05 0c 00 00 00 00 00 00 00 00 07 00 00 00 03 00 00 00 c0 00 02 00 " +
            "0a 00 02 00 00 00 00 00 00 00 00 00 08 00 01 00 c0 00 02 0b",
            FdbRequests.Append(new NetlinkRequest(), new FdbEntry(Vx, FdbEntry.AllZeros, FdbTable.Device) { Destination = IPAddress.Parse("192.0.2.11") }));
    }

    [Fact]
    public void Replace_of_a_static_bridge_entry_matches_iproute2()
    {
        // bridge fdb replace 06:00:0a:00:00:02 dev vx-1 master static
        Golden.Equal(
            "28 00 00 00 1c 00 05 05 00 00 00 00 00 00 00 00 07 00 00 00 03 00 00 00 42 00 04 00 0a 00 02 00 06 00 0a 00 00 02 00 00",
            FdbRequests.Replace(new NetlinkRequest(), new FdbEntry(Vx, MacAddress.Parse("06:00:0a:00:00:02"), FdbTable.Bridge)));
    }
}
