using Fireline.Errors;
using Fireline.Firecracker;

namespace Fireline.Tests.Firecracker;

public sealed class ValidationTests
{
    private static readonly NetworkInterface Valid = new()
    {
        IfaceId = "eth0",
        HostDevName = "tap0",
        GuestMac = "06:00:0a:64:00:02",
        RxRateLimiter = new RateLimiter { Bandwidth = TokenBucket.ForBandwidth(10_000_000) },
    };

    [Fact]
    public void A_record_interface_is_valid() => Valid.Validate();

    [Theory]
    [InlineData(-1, null, 100, "rx.bandwidth.size")]
    [InlineData(1000, -5L, 100, "rx.bandwidth.oneTimeBurst")]
    [InlineData(1000, null, 0, "rx.bandwidth.refillTimeMs")]
    [InlineData(1000, null, -1, "rx.bandwidth.refillTimeMs")]
    [InlineData(1000, null, TokenBucket.MaxRefillTimeMs + 1, "rx.bandwidth.refillTimeMs")]
    public void A_bucket_Firecracker_would_refuse_or_not_honour_names_its_field(long size, long? burst, long refill, string field)
    {
        var bucket = new TokenBucket { Size = size, OneTimeBurst = burst, RefillTime = refill };

        var error = Assert.Throws<FirelineException>(() => new RateLimiter { Bandwidth = bucket }.Validate("rx"));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal(field, error.Field);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_ops_bucket_and_the_direction()
    {
        var limiter = new RateLimiter { Ops = new TokenBucket { Size = 10, RefillTime = 0 } };

        var error = Assert.Throws<FirelineException>(() => (Valid with { TxRateLimiter = limiter }).Validate());

        Assert.Equal("tx.ops.refillTimeMs", error.Field);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 100)]
    [InlineData(1, 1)]
    [InlineData(1, TokenBucket.MaxRefillTimeMs)]
    public void Size_0_is_Firecrackers_no_limit_and_is_accepted(long size, long refill)
        => new TokenBucket { Size = size, OneTimeBurst = 0, RefillTime = refill }.Validate("rx.bandwidth");

    [Theory]
    [InlineData("", "tap0", "06:00:0a:64:00:02", "ifaceId")]
    [InlineData("eth-0", "tap0", "06:00:0a:64:00:02", "ifaceId")]
    [InlineData("eth0", "", "06:00:0a:64:00:02", "hostDevName")]
    [InlineData("eth0", "tap-name-too-long", "06:00:0a:64:00:02", "hostDevName")]
    [InlineData("eth0", "tap0", "06:00:0a:64:00", "guestMac")]
    [InlineData("eth0", "tap0", "06-00-0a-64-00-02", "guestMac")]
    public void An_interface_Firecracker_would_refuse_names_its_field(string id, string tap, string mac, string field)
    {
        var error = Assert.Throws<FirelineException>(() => (Valid with { IfaceId = id, HostDevName = tap, GuestMac = mac }).Validate());

        Assert.Equal(field, error.Field);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.1.0")]
    [InlineData("169.254.254.255")]
    public void Mmds_takes_link_local_addresses(string address)
        => new MmdsConfig { NetworkInterfaces = ["eth0"], Ipv4Address = address }.Validate();

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.0.1")]
    [InlineData("169.254.255.1")]
    [InlineData("169.254.1")]
    [InlineData("fe80::1")]
    public void Mmds_refuses_other_addresses(string address)
    {
        var error = Assert.Throws<FirelineException>(() => new MmdsConfig { NetworkInterfaces = ["eth0"], Ipv4Address = address }.Validate());

        Assert.Equal("mmds.ipv4Address", error.Field);
    }

    [Fact]
    public void Mmds_needs_an_interface()
    {
        var error = Assert.Throws<FirelineException>(() => new MmdsConfig { NetworkInterfaces = [] }.Validate());

        Assert.Equal("mmds.networkInterfaces", error.Field);
    }

    [Fact]
    public void A_boot_source_needs_a_kernel()
    {
        var error = Assert.Throws<FirelineException>(() => new BootSource { KernelImagePath = " " }.Validate());

        Assert.Equal("bootSource.kernelImagePath", error.Field);
    }
}
