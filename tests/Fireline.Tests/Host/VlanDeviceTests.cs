using Fireline.Host;

namespace Fireline.Tests.Host;

public sealed class VlanDeviceTests
{
    [Theory]
    [InlineData(1, "vlan1")]
    [InlineData(101, "vlan101")]
    [InlineData(4094, "vlan4094")]
    public void A_vlan_id_names_one_device_and_the_name_gives_the_id_back(int id, string name)
    {
        Assert.Equal(name, HostDatapath.VlanDevice(id));
        Assert.Equal(id, HostDatapath.VlanIdOf(name));
    }

    [Theory]
    [InlineData("vlan")]
    [InlineData("vlan0")]
    [InlineData("vlan007")]
    [InlineData("vlan4095")]
    [InlineData("vlan+12")]
    [InlineData("vlan12a")]
    [InlineData("eth0.12")]
    [InlineData("br-vlan12")]
    public void Other_names_are_no_vlan_device(string name) => Assert.Null(HostDatapath.VlanIdOf(name));
}
