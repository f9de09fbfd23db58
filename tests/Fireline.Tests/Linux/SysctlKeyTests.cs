using Fireline.Linux;

namespace Fireline.Tests.Linux;

public sealed class SysctlKeyTests
{
    [Theory]
    [InlineData("net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward")]
    [InlineData("net.ipv4.conf.br-vms.proxy_arp", "/proc/sys/net/ipv4/conf/br-vms/proxy_arp")]
    [InlineData("net/ipv4/conf/br.1/proxy_arp", "/proc/sys/net/ipv4/conf/br.1/proxy_arp")]
    [InlineData("net/ipv6/conf/all/disable_ipv6", "/proc/sys/net/ipv6/conf/all/disable_ipv6")]
    public void Maps_dotted_and_slash_keys_to_proc_sys(string key, string path)
        => Assert.Equal(path, Sysctl.PathOf(key));

    [Theory]
    [InlineData("")]
    [InlineData("/proc/sys/net/ipv4/ip_forward")]
    [InlineData("net/../../etc/shadow")]
    [InlineData("net/ipv4/conf/../ip_forward")]
    [InlineData("net..ipv4")]
    [InlineData("net.ipv4.")]
    [InlineData("net/ipv4//ip_forward")]
    [InlineData("net/./ipv4/ip_forward")]
    [InlineData("net.ipv4\0.ip_forward")]
    public void Refuses_keys_that_could_leave_proc_sys(string key)
    {
        Assert.Throws<ArgumentException>(() => Sysctl.PathOf(key));
        Assert.Throws<ArgumentException>(() => Sysctl.Read(key));
        Assert.Throws<ArgumentException>(() => Sysctl.Write(key, "1"));
    }
}
