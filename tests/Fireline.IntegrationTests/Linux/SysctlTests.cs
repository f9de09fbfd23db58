using Fireline.Linux;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

[Trait("Category", Categories.Integration)]
public sealed class SysctlTests : IDisposable
{
    private const string RootIpForward = "/proc/sys/net/ipv4/ip_forward";
    private readonly TestHost _host = new();

    [Fact]
    public void Ip_forward_changes_in_the_test_host_and_not_in_the_root_namespace()
    {
        // The root value is only read: this test's thread-pool thread is in the root namespace.
        var rootBefore = File.ReadAllText(RootIpForward);

        // Both directions, so that one of them differs from the root's value whatever it is.
        foreach (var value in new[] { "1", "0" })
        {
            Sysctl.Write(_host.HostNamespace, "net.ipv4.ip_forward", value);

            Assert.Equal(value, _host.InHost("cat", "/proc/sys/net/ipv4/ip_forward").Trim());
            Assert.Equal(value, Sysctl.Read(_host.HostNamespace, "net.ipv4.ip_forward"));
            Assert.Equal(value, _host.HostNamespace.Run(() => Sysctl.Read("net.ipv4.ip_forward")));
            Assert.Equal(rootBefore, File.ReadAllText(RootIpForward));
        }
    }

    [Fact]
    public void The_slash_form_reaches_an_interface_whose_name_has_a_dot()
    {
        Ip.Run("-n", _host.HostNamespaceName, "link", "add", "br.1", "type", "bridge");

        Sysctl.Write(_host.HostNamespace, "net/ipv4/conf/br.1/proxy_arp", "1");

        Assert.Equal("1", _host.InHost("cat", "/proc/sys/net/ipv4/conf/br.1/proxy_arp").Trim());
        Assert.Equal("1", Sysctl.Read(_host.HostNamespace, "net/ipv4/conf/br.1/proxy_arp"));
        // The dotted form splits the name into two path components, so it names nothing.
        var error = Assert.Throws<KernelObjectNotFoundException>(() => Sysctl.Read(_host.HostNamespace, "net.ipv4.conf.br.1.proxy_arp"));
        Assert.Equal(KernelObjectKind.Sysctl, error.Kind);
    }

    [Fact]
    public void Reads_several_values_as_sysctl_prints_them()
    {
        var expected = _host.InHost("cat", "/proc/sys/net/ipv4/ip_local_port_range").TrimEnd('\n');

        Assert.Equal(expected, Sysctl.Read(_host.HostNamespace, "net.ipv4.ip_local_port_range"));
        Assert.Contains('\t', expected);
    }

    [Fact]
    public void A_missing_key_and_a_refused_value_are_typed_errors()
    {
        var missing = Assert.Throws<KernelObjectNotFoundException>(() => Sysctl.Read(_host.HostNamespace, "net.ipv4.conf.nosuch0.forwarding"));
        Assert.Equal(Errno.ENOENT, missing.Errno);
        Assert.Equal(KernelObjectKind.Sysctl, missing.Kind);
        Assert.Equal("net.ipv4.conf.nosuch0.forwarding", missing.ObjectName);

        // Whatever the namespace started with (a new one takes the machine's IPv4 settings), a refused value keeps it.
        var before = _host.InHost("cat", "/proc/sys/net/ipv4/ip_forward");
        var refused = Assert.Throws<KernelException>(() => Sysctl.Write(_host.HostNamespace, "net.ipv4.ip_forward", "banana"));
        Assert.Equal(Errno.EINVAL, refused.Errno);
        Assert.Contains("sysctl -w net.ipv4.ip_forward=banana", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, _host.InHost("cat", "/proc/sys/net/ipv4/ip_forward"));
    }

    public void Dispose() => _host.Dispose();
}
