using Fireline.Addressing;

namespace Fireline.Tests.Addressing;

public sealed class ReservedRangesTests
{
    [Theory]
    [InlineData("127.0.0.0/16", "127.0.0.0/8 (loopback)")]
    [InlineData("0.0.0.0/0", "0.0.0.0/8")]
    [InlineData("0.0.0.0/8", "0.0.0.0/8")]
    [InlineData("96.0.0.0/3", "127.0.0.0/8 (loopback)")] // a wide subnet overlapping a reserved range
    [InlineData("169.254.0.0/24", "169.254.0.0/16 (link-local)")]
    [InlineData("224.0.0.0/24", "224.0.0.0/4 (multicast)")]
    [InlineData("239.255.0.0/16", "224.0.0.0/4 (multicast)")]
    [InlineData("240.0.0.0/8", "240.0.0.0/4")]
    [InlineData("255.255.255.252/30", "240.0.0.0/4")]
    [InlineData("10.0.0.0/8", null)]
    [InlineData("169.253.0.0/16", null)]
    [InlineData("126.0.0.0/8", null)]
    [InlineData("223.255.255.0/24", null)]
    public void Ipv4_subnets_in_reserved_ranges_are_named(string subnet, string? reserved)
    {
        var found = ReservedRanges.Overlapped(Ipv4Network.Parse(subnet));
        if (reserved is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.StartsWith(reserved, found, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("::/48", "::/8")]
    [InlineData("::ffff:0:0/96", "::/8")]
    [InlineData("fe80::/64", "fe80::/10")]
    [InlineData("febf:ffff::/32", "fe80::/10")]
    [InlineData("ff02::/16", "ff00::/8")]
    [InlineData("fd00:101::/64", null)]
    [InlineData("2001:db8::/48", null)]
    [InlineData("100::/64", null)]
    [InlineData("fec0::/48", null)]
    public void Ipv6_prefixes_in_reserved_ranges_are_named(string prefix, string? reserved)
    {
        var found = ReservedRanges.Overlapped(Ipv6Network.Parse(prefix));
        if (reserved is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.StartsWith(reserved, found, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("9.9.9.9", true)]
    [InlineData("127.0.0.53", true)]
    [InlineData("169.254.169.253", true)]
    [InlineData("223.255.255.255", true)]
    [InlineData("1.0.0.0", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("0.1.2.3", false)]
    [InlineData("224.0.0.251", false)]
    [InlineData("239.1.1.1", false)]
    [InlineData("240.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    public void Only_unicast_addresses_are_one_hosts(string address, bool unicast)
    {
        Assert.True(Ipv4Address.TryParse(address, out var value));
        Assert.Equal(unicast, ReservedRanges.IsUnicast(value));
    }

    [Fact]
    public void Overlaps_among_many_ranges_are_found_by_one_sweep()
    {
        var ranges = new[] { ("a", 10, 19), ("b", 30, 39), ("c", 15, 16), ("d", 20, 29), ("e", 39, 50), ("f", 0, 100) };

        var pairs = RangeOverlap.Find(ranges, r => ((UInt128)r.Item2, (UInt128)r.Item3)).Select(p => $"{p.Earlier.Item1}-{p.Later.Item1}").ToList();

        // f (0-100) sorts first and reaches furthest: everything after overlaps it.
        Assert.Equal(["f-a", "f-c", "f-d", "f-b", "f-e"], pairs);
        Assert.Empty(RangeOverlap.Find(ranges.Where(r => r.Item1 is "a" or "b" or "d"), r => ((UInt128)r.Item2, (UInt128)r.Item3)));
        Assert.Equal(["b-e"], RangeOverlap.Find(ranges.Where(r => r.Item1 is "a" or "b" or "d" or "e"), r => ((UInt128)r.Item2, (UInt128)r.Item3))
            .Select(p => $"{p.Earlier.Item1}-{p.Later.Item1}"));
    }
}
