using Fireline.Tuning;

namespace Fireline.Tests.Tuning;

public sealed class SysctlTargetTests
{
    [Theory]
    [InlineData("1000", "5000")]
    [InlineData("5000", null)]
    [InlineData("9000", null)] // already above: never lowered
    public void A_minimum_is_raised_to_never_lowered(string current, string? wanted)
        => Assert.Equal(wanted, new SysctlTarget("k", "5000", SysctlScope.Machine, "").Wanted(current));

    [Fact]
    public void Several_fields_are_merged_field_by_field()
        => Assert.Equal("4096 131072 134217728", new SysctlTarget("k", "4096 87380 134217728", SysctlScope.Namespace, "").Wanted("4096\t131072\t33554432"));

    [Theory]
    [InlineData("1", "3")]
    [InlineData("3", null)]
    [InlineData("1027", null)] // other flags (0x400) are kept
    [InlineData("1025", "1027")]
    public void Bits_are_added_to_those_set(string current, string? wanted)
        => Assert.Equal(wanted, new SysctlTarget("net.ipv4.tcp_fastopen", "3", SysctlScope.Namespace, "") { Bits = true }.Wanted(current));

    [Fact]
    public void Every_profile_key_is_unique_and_says_why()
    {
        Assert.Equal(TuningProfile.Targets.Count, TuningProfile.Targets.Select(t => t.Key).Distinct().Count());
        Assert.All(TuningProfile.Targets, t => Assert.False(string.IsNullOrWhiteSpace(t.Reason)));
    }
}
