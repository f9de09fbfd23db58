using System.Text;
using Fireline.Cni;

namespace Fireline.Tests.Cni;

/// <summary>The network configuration: parsed once, every key known or refused, every value typed.</summary>
public sealed class CniConfigTests
{
    [Fact]
    public void A_full_configuration_is_read_with_what_runtimes_add()
    {
        var config = Parse("""
            {"cniVersion":"1.1.0","name":"fcnet","type":"fireline","network":"tenant-a","socket":"/run/f.sock","tapName":"tap3","tapOwner":1000,"tapGroup":1001,
             "ipv6":true,"rateLimits":{"rx":{"bandwidth":{"size":1000,"refillTimeMs":100}}},"args":{"labels":{}},"runtimeConfig":{},"capabilities":{},
             "prevResult":{"interfaces":[]},"cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]}
            """);

        Assert.Equal(("1.1.0", "fcnet", "tenant-a", "/run/f.sock", "tap3", 1000u, 1001u, true), (config.Version.Text, config.Name, config.Network, config.Socket, config.TapName, config.TapOwner, config.TapGroup, config.Ipv6));
        Assert.Equal(1000, config.RateLimits!.Value.GetProperty("rx").GetProperty("bandwidth").GetProperty("size").GetInt32());
        Assert.Equal("c1", config.ValidAttachments!.Single().ContainerId);
        Assert.NotNull(config.PrevResult);
    }

    [Fact]
    public void Defaults_are_the_default_network_and_the_daemons_socket()
    {
        var config = Parse("""{"cniVersion":"0.3.1","name":"n","type":"fireline"}""");

        Assert.Equal(("default", "/run/fireline/fireline.sock", (string?)null), (config.Network, config.Socket, config.TapName));
    }

    [Theory]
    [InlineData("""{"cniVersion":"0.2.0","name":"n"}""", 1)]
    [InlineData("""{"cniVersion":"1.2.0","name":"n"}""", 1)]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","ipam":{"type":"host-local"}}""", 2)]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","bridge":"br0"}""", 2)]
    [InlineData("""{"cniVersion":"1.1.0","name":"n",""", 6)]
    [InlineData("""[1]""", 6)]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","name":"m"}""", 6)]
    [InlineData("""{"name":"n"}""", 7)]
    [InlineData("""{"cniVersion":"1.1.0","name":3}""", 7)]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","tapOwner":-1}""", 7)]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","socket":"relative.sock"}""", 7)]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","ipv6":"yes"}""", 7)]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","rateLimits":5}""", 7)]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","cni.dev/valid-attachments":[{"containerID":"c"}]}""", 7)]
    public void A_bad_configuration_gets_the_specs_code(string json, int code)
        => Assert.Equal(code, Assert.Throws<CniException>(() => Parse(json)).Code);

    [Theory]
    [InlineData("0.3.0", "CHECK", "0.4.0", true)]
    [InlineData("0.4.0", "CHECK", "0.4.0", false)]
    [InlineData("1.0.0", "GC", "1.1.0", true)]
    [InlineData("1.1.0", "STATUS", "1.1.0", false)]
    public void Verbs_are_refused_in_versions_before_them(string version, string verb, string since, bool refused)
    {
        var config = Parse($$"""{"cniVersion":"{{version}}","name":"n"}""");

        var error = Record.Exception(() => config.Version.Allows(verb, since));

        Assert.Equal(refused, error is CniException { Code: 1 });
    }

    private static CniConfig Parse(string json) => CniConfig.Parse(Encoding.UTF8.GetBytes(json));
}
