using Fireline.Addressing;

namespace Fireline.Tests.Addressing;

public sealed class Ipv4NetworkTests
{
    [Fact]
    public void A_slash_16_offers_65533_vm_addresses_with_the_gateway_first()
    {
        var subnet = Ipv4Network.Parse("10.100.0.0/16");

        Assert.Equal(65_533, subnet.VmCapacity);
        Assert.Equal("10.100.0.1", Ipv4Network.Format(subnet.Gateway));
        Assert.Equal("10.100.0.2", Ipv4Network.Format(subnet.FirstVmAddress));
        Assert.Equal("10.100.255.254", Ipv4Network.Format(subnet.LastVmAddress));
        Assert.Equal("255.255.0.0", Ipv4Network.Format(subnet.Mask));
    }

    [Theory]
    [InlineData("10.100.0.0", "prefix length")]
    [InlineData("10.100.0.0/33", "prefix length")]
    [InlineData("10.100.0.0/-1", "prefix length")]
    [InlineData("10.100.0/16", "not an IPv4")]
    [InlineData("::1/64", "not an IPv4")]
    [InlineData("10.100.0.1/16", "host bits")]
    [InlineData("", "empty")]
    public void Rejects_bad_cidrs_with_the_reason(string text, string reason)
    {
        Assert.False(Ipv4Network.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.100.0.0/16", "10.100.7.0/24", true)]
    [InlineData("10.100.0.0/16", "10.101.0.0/16", false)]
    [InlineData("10.0.0.0/8", "10.101.0.0/16", true)]
    public void Detects_overlap(string a, string b, bool overlaps)
    {
        Assert.Equal(overlaps, Ipv4Network.Parse(a).Overlaps(Ipv4Network.Parse(b)));
        Assert.Equal(overlaps, Ipv4Network.Parse(b).Overlaps(Ipv4Network.Parse(a)));
    }

    [Fact]
    public void Derives_mac_names_and_boot_args_from_the_address()
    {
        var subnet = Ipv4Network.Parse("10.100.0.0/16");
        var address = Ipv4Network.ToUInt32(System.Net.IPAddress.Parse("10.100.1.2"));

        Assert.Equal("06:00:0a:64:01:02", VmAddressing.GuestMac(address).ToString());
        Assert.Equal("fl0a640102", VmAddressing.HostVeth(address));
        Assert.True(VmAddressing.IsHostVethName("fl0a640102"));
        Assert.False(VmAddressing.IsHostVethName("fl0a64010z"));
        Assert.Equal("ip=10.100.1.2::10.100.0.1:255.255.0.0::eth0:off", VmAddressing.BootArgs(address, subnet, []));
        Assert.Equal("ip=10.100.1.2::10.100.0.1:255.255.0.0::eth0:off:9.9.9.9:1.1.1.1",
            VmAddressing.BootArgs(address, subnet, ["9.9.9.9", "1.1.1.1", "8.8.8.8"]));
    }
}
