using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Tests.Linux;

public sealed class LinkRequestsTests
{
    private const int Brx = 2;

    [Fact]
    public void Set_alias_matches_iproute2()
    {
        // ip link set brx alias fireline:0123456789abcdef:vm1 (brx is index 2)
        Golden.Equal(
            "44 00 00 00 10 00 05 00 00 00 00 00 00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 " +
            "21 00 14 00 66 69 72 65 6c 69 6e 65 3a 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 3a 76 6d 31 00 00 00",
            LinkRequests.SetAlias(new NetlinkRequest(), Brx, "brx", "fireline:0123456789abcdef:vm1"));
    }

    [Fact]
    public void Clearing_an_alias_matches_iproute2()
    {
        // ip link set brx alias ""
        Golden.Equal(
            "24 00 00 00 10 00 05 00 00 00 00 00 00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 04 00 14 00",
            LinkRequests.SetAlias(new NetlinkRequest(), Brx, "brx", ""));
    }

    [Fact]
    public void An_alias_the_kernel_would_cut_or_refuse_is_refused_before_writing()
    {
        Assert.Throws<ArgumentException>(() => LinkRequests.SetAlias(new NetlinkRequest(), Brx, "brx", new string('a', 256)));
        Assert.Throws<ArgumentException>(() => LinkRequests.SetAlias(new NetlinkRequest(), Brx, "brx", "fireline:\0other"));
        Assert.Throws<ArgumentException>(() => new LinkSpec("br1", new Bridge()) { Alias = new string('a', 300) });
        // The longest the kernel takes: nlmsghdr and ifinfomsg (32 bytes), then 4 + 255 attribute bytes padded to 260.
        Assert.Equal(292, LinkRequests.SetAlias(new NetlinkRequest(), Brx, "brx", new string('a', 255)).Bytes.Length);
    }

    [Fact]
    public void The_alias_is_read_back_and_an_empty_one_counts_as_none()
    {
        var marked = LinkRequests.Parse(new NetlinkMessage(LinkRequests.SetAlias(new NetlinkRequest(), Brx, "brx", "fireline:abc").Bytes));
        var cleared = LinkRequests.Parse(new NetlinkMessage(LinkRequests.SetAlias(new NetlinkRequest(), Brx, "brx", "").Bytes));

        Assert.Equal((Brx, "fireline:abc"), (marked.Index, marked.Alias));
        Assert.Null(cleared.Alias);
    }

    [Fact]
    public void A_vlans_id_and_parent_are_read_back_and_its_two_byte_id_is_not_taken_for_a_tap_owner()
    {
        var vlan = LinkRequests.Parse(new NetlinkMessage(LinkRequests.Create(new NetlinkRequest(), new LinkSpec("vlan101", new Vlan(7, 101))).Bytes));

        Assert.Equal(("vlan", 101, 7, (uint?)null), (vlan.Kind, vlan.VlanId, vlan.ParentIndex, vlan.TunOwner));
    }

    [Fact]
    public void A_create_request_carries_no_alias_since_the_kernel_ignores_one_there()
    {
        var withAlias = LinkRequests.Create(new NetlinkRequest(), new LinkSpec("br1", new Bridge()) { Alias = "fireline:abc" });
        var without = LinkRequests.Create(new NetlinkRequest(), new LinkSpec("br1", new Bridge()));

        Assert.Equal(Convert.ToHexString(without.Bytes), Convert.ToHexString(withAlias.Bytes));
    }
}
