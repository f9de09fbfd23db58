using Fireline.Linux.Rtnetlink;
using Fireline.Vms;

namespace Fireline.Tests.Vms;

public sealed class CounterBaselineTests
{
    private static readonly LinkStatistics Then = new(10, 20, 1000, 2000, 1, 2, 3, 4);

    [Fact]
    public void Counters_since_the_mark_are_what_was_added_after_it()
    {
        var alias = CounterBaseline.Mark("fireline:0a1b:pool", Then);
        var now = new LinkStatistics(15, 27, 1500, 2700, 1, 2, 9, 4);

        Assert.StartsWith("fireline:0a1b:pool:", alias, StringComparison.Ordinal); // still the slot's mark
        Assert.True(alias.Length < 256, "IFLA_IFALIAS holds at most 255 bytes");
        Assert.Equal(new LinkStatistics(5, 7, 500, 700, 0, 0, 6, 0), CounterBaseline.Since(now, alias));
    }

    [Fact]
    public void The_longest_mark_fits_an_alias()
        => Assert.True(CounterBaseline.Mark("fireline:" + new string('f', 32) + ":pool", new LinkStatistics(
            ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)).Length < 256);

    [Theory]
    [InlineData(null)]
    [InlineData("fireline:0a1b:vm-1")]
    [InlineData("fireline:0a1b:pool:base=1/2/3")]
    [InlineData("fireline:0a1b:pool:base=1/2/3/4/5/6/7/8/9")]
    [InlineData("fireline:0a1b:pool:base=1/2/3/4/5/6/7/-8")]
    [InlineData("fireline:0a1b:pool:base=1/2/3/4/5/6/7/x")]
    public void No_baseline_or_one_that_does_not_parse_leaves_the_counters_as_they_are(string? alias)
        => Assert.Equal(Then, CounterBaseline.Since(Then, alias));

    [Fact]
    public void A_counter_below_its_baseline_reads_zero_rather_than_wrapping()
        => Assert.Equal(0ul, CounterBaseline.Since(new LinkStatistics(1, 0, 0, 0, 0, 0, 0, 0), CounterBaseline.Mark("m", Then)).RxPackets);
}
