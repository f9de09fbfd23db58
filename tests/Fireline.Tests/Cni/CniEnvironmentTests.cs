using Fireline.Cni;

namespace Fireline.Tests.Cni;

/// <summary>The CNI parameters from the environment: each checked for the verb that needs it, named when it is wrong.</summary>
public sealed class CniEnvironmentTests
{
    [Fact]
    public void Tc_redirect_taps_arguments_are_taken_and_unknown_keys_ignored_without_ignore_unknown()
    {
        var environment = new CniEnvironment { Command = "ADD", Args = "K8S_POD_NAME=web;TC_REDIRECT_TAP_NAME=tap1;TC_REDIRECT_TAP_UID=1000;TC_REDIRECT_TAP_GID=1001" };

        Assert.Equal(("tap1", 1000u, 1001u), environment.TapArgs());
        Assert.Equal((null, null, null), new CniEnvironment { Command = "ADD", Args = "IgnoreUnknown=1" }.TapArgs());
    }

    [Theory]
    [InlineData("novalue", "CNI_ARGS")]
    [InlineData("=x", "CNI_ARGS")]
    [InlineData("TC_REDIRECT_TAP_UID=-1", "TC_REDIRECT_TAP_UID")]
    [InlineData("TC_REDIRECT_TAP_GID=1e3", "TC_REDIRECT_TAP_GID")]
    [InlineData("TC_REDIRECT_TAP_NAME=a/b", "TC_REDIRECT_TAP_NAME")]
    [InlineData("TC_REDIRECT_TAP_NAME=sixteen-chars-xx", "TC_REDIRECT_TAP_NAME")]
    public void Bad_arguments_are_error_4_naming_what_is_wrong(string args, string named)
    {
        var error = Assert.Throws<CniException>(() => new CniEnvironment { Command = "ADD", Args = args }.TapArgs());

        Assert.Equal(4, error.Code);
        Assert.Contains(named, error.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "eth0", "/var/run/netns/a", "CNI_CONTAINERID")]
    [InlineData("", "eth0", "/var/run/netns/a", "CNI_CONTAINERID")]
    [InlineData("-x", "eth0", "/var/run/netns/a", "CNI_CONTAINERID")]
    [InlineData("a/b", "eth0", "/var/run/netns/a", "CNI_CONTAINERID")]
    [InlineData("c", null, "/var/run/netns/a", "CNI_IFNAME")]
    [InlineData("c", "eth 0", "/var/run/netns/a", "CNI_IFNAME")]
    [InlineData("c", "..", "/var/run/netns/a", "CNI_IFNAME")]
    [InlineData("c", "eth0", null, "CNI_NETNS")]
    [InlineData("c", "eth0", "netns/a", "CNI_NETNS")]
    public void Missing_or_invalid_variables_are_error_4_naming_the_variable(string? containerId, string? ifName, string? netns, string variable)
    {
        var environment = new CniEnvironment { Command = "ADD", ContainerId = containerId, IfName = ifName, Netns = netns };

        var error = Assert.Throws<CniException>(() =>
        {
            environment.RequireContainerId();
            environment.RequireIfName();
            environment.RequireNetns();
        });

        Assert.Equal(4, error.Code);
        Assert.StartsWith(variable + ":", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_id_longer_than_a_vm_id_is_refused()
        => Assert.Equal(4, Assert.Throws<CniException>(() => new CniEnvironment { Command = "DEL", ContainerId = new string('a', 65) }.RequireContainerId()).Code);
}
