using System.Net;
using Fireline.Addressing;
using Fireline.Linux;

namespace Fireline.Tests.Addressing;

public sealed class Ipv6PrefixTests
{
    [Fact]
    public void A_vm_address_is_the_prefix_with_the_ipv4_address_in_its_last_32_bits()
    {
        var prefix = Ipv6Prefix.Parse("fd00:101::/64");

        Assert.Equal(IPAddress.Parse("fd00:101::a65:2"), prefix.VmAddress(Ipv4Network.ToUInt32(IPAddress.Parse("10.101.0.2"))));
        Assert.Equal(IPAddress.Parse("fd00:101::1"), prefix.Gateway);
        Assert.Equal("fd00:101::/64", prefix.ToString());
    }

    [Theory]
    [InlineData("fd00::", "not an IPv6 network")]
    [InlineData("10.0.0.0/8", "not an IPv6 network")]
    [InlineData("fd00::/40", "48-96")]
    [InlineData("fd00::/112", "48-96")]
    [InlineData("fd00::1/64", "host bits")]
    public void Refuses_what_cannot_hold_an_ipv4_address_or_is_not_a_prefix(string text, string reason)
    {
        Assert.False(Ipv6Prefix.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Detects_overlap_and_forms_the_eui64_link_local_address()
    {
        Assert.True(Ipv6Prefix.Parse("fd00:1::/48").Overlaps(Ipv6Prefix.Parse("fd00:1:0:2::/64")));
        Assert.False(Ipv6Prefix.Parse("fd00:1::/64").Overlaps(Ipv6Prefix.Parse("fd00:2::/64")));
        Assert.Equal(IPAddress.Parse("fe80::400:aff:fe65:2"), Ipv6Prefix.LinkLocal(MacAddress.Parse("06:00:0a:65:00:02")));
    }
}
