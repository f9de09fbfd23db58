using Fireline.Addressing;

namespace Fireline.Tests.Addressing;

public sealed class Ipv4AddressTests
{
    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("10.1.2.3", 0x0a010203u)]
    [InlineData("255.255.255.255", 0xffffffffu)]
    [InlineData("192.168.100.10", 0xc0a8640au)]
    public void Reads_strict_dotted_decimal(string text, uint value)
    {
        Assert.True(Ipv4Address.TryParse(text, out var address));
        Assert.Equal(value, address);
        Assert.Equal(text, Ipv4Network.Format(address));
    }

    [Theory]
    [InlineData("010.1.1.1")] // octal to inet_aton (8.1.1.1), decimal to others
    [InlineData("10.01.1.1")]
    [InlineData("0x0a.1.1.1")]
    [InlineData("0xa010101")]
    [InlineData("167837953")] // a bare number is an address to inet_aton
    [InlineData("10.1")]
    [InlineData("10.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.1000")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.")]
    [InlineData(".1.2.3")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("+1.2.3.4")]
    [InlineData("1.2.3.-4")]
    [InlineData("١.2.3.4")] // an Arabic-Indic digit is a digit to char.IsDigit
    [InlineData("1.2.3.4\n")]
    [InlineData("1.2.3.4\0")]
    [InlineData("")]
    public void Refuses_every_other_form(string text)
        => Assert.False(Ipv4Address.TryParse(text, out _));

    [Theory]
    [InlineData("010.202.0.0/16", "not an IPv4 network")]
    [InlineData("0x0a.0.0.0/8", "not an IPv4 network")]
    [InlineData("10.202/16", "not an IPv4 network")]
    [InlineData("10.0.0.0/016", "prefix length")]
    [InlineData("10.0.0.0/+16", "prefix length")]
    [InlineData("10.0.0.0/ 16", "prefix length")]
    [InlineData("10.0.0.0/16/8", "prefix length")]
    public void Subnets_are_read_with_the_same_strictness(string text, string reason)
    {
        Assert.False(Ipv4Network.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_canonical_dns_addresses_reach_the_guests_kernel_argument()
    {
        var subnet = Ipv4Network.Parse("10.9.0.0/16");
        Assert.True(Ipv4Address.TryParse("10.9.0.2", out var address));

        // A store written before validation was strict could hold anything: it is written from the parsed value or left out.
        Assert.Equal("ip=10.9.0.2::10.9.0.1:255.255.0.0::eth0:off:9.9.9.9",
            VmAddressing.BootArgs(address, subnet, ["9.9.9.9 panic=1", "9.9.9.9"]));
        Assert.Equal("ip=10.9.0.2::10.9.0.1:255.255.0.0::eth0:off", VmAddressing.BootArgs(address, subnet, ["010.1.1.1"]));
    }
}
