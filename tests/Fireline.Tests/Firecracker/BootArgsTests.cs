using Fireline.Firecracker;

namespace Fireline.Tests.Firecracker;

public sealed class BootArgsTests
{
    private const string Ip = "ip=10.100.0.2::10.100.0.1:255.255.0.0::eth0:off";

    [Fact]
    public void Adds_the_ip_argument_after_the_callers_own()
        => Assert.Equal($"console=ttyS0 reboot=k panic=1 {Ip}", BootArgs.Merge("console=ttyS0 reboot=k panic=1", Ip));

    [Fact]
    public void Replaces_an_existing_ip_argument_where_it_stood()
        => Assert.Equal($"console=ttyS0 {Ip} panic=1", BootArgs.Merge("console=ttyS0 ip=dhcp panic=1", Ip));

    [Fact]
    public void Drops_further_ip_arguments_since_the_kernel_would_take_the_last()
        => Assert.Equal($"{Ip} quiet", BootArgs.Merge("ip=dhcp quiet ip=192.168.0.9::192.168.0.1:255.255.255.0::eth0:off", Ip));

    [Fact]
    public void Takes_nfsaddrs_as_the_kernels_older_name_for_ip()
        => Assert.Equal($"{Ip} quiet", BootArgs.Merge("nfsaddrs=dhcp quiet", Ip));

    [Fact]
    public void Keeps_arguments_that_only_start_like_ip()
        => Assert.Equal($"ipv6.disable=1 ip6=off iptables=x {Ip}", BootArgs.Merge("ipv6.disable=1 ip6=off iptables=x", Ip));

    [Fact]
    public void Keeps_quoted_values_whole()
        => Assert.Equal($"dyndbg=\"file net.c +p ip=x\" {Ip}", BootArgs.Merge("dyndbg=\"file net.c +p ip=x\" ip=dhcp", Ip));

    [Fact]
    public void Puts_kernel_arguments_before_the_init_separator_and_leaves_inits_ip_alone()
        => Assert.Equal($"console=ttyS0 {Ip} -- ip=for-init --verbose", BootArgs.Merge("console=ttyS0 -- ip=for-init --verbose", Ip));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Without_existing_arguments_gives_firelines_alone(string? existing)
        => Assert.Equal(Ip, BootArgs.Merge(existing, Ip));

    [Fact]
    public void Normalises_whitespace_between_arguments()
        => Assert.Equal($"console=ttyS0 panic=1 {Ip}", BootArgs.Merge("  console=ttyS0\t panic=1  ", Ip));

    [Fact]
    public void Merging_twice_changes_nothing_the_second_time()
    {
        var once = BootArgs.Merge("console=ttyS0 ip=dhcp", Ip);
        Assert.Equal(once, BootArgs.Merge(once, Ip));
    }

    [Fact]
    public void Replaces_each_of_several_fireline_arguments_by_name()
        => Assert.Equal("ip=a console=ttyS0 nameserver=9.9.9.9", BootArgs.Merge("ip=old console=ttyS0 nameserver=1.1.1.1", "ip=a nameserver=9.9.9.9"));
}
