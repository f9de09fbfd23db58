using Fireline.Addressing;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Tests.Addressing;

public sealed class NetworkSegmentsTests
{
    private static uint At(string address) => Ipv4Network.ToUInt32(System.Net.IPAddress.Parse(address));

    [Theory]
    [InlineData("10.1.0.0/24", 1)]
    [InlineData("10.1.0.0/28", 1)]
    [InlineData("10.1.0.0/23", 2)]
    [InlineData("10.1.0.0/21", 8)]
    [InlineData("10.100.0.0/16", 256)]
    [InlineData("10.0.0.0/8", 256)]
    public void A_network_has_one_segment_per_256_addresses_at_most_256(string subnet, int segments)
        => Assert.Equal(segments, NetworkSegments.Count(Ipv4Network.Parse(subnet)));

    [Theory]
    [InlineData("10.1.0.2", 0)]
    [InlineData("10.1.0.255", 0)]
    [InlineData("10.1.1.0", 1)]
    [InlineData("10.1.1.255", 1)]
    [InlineData("10.1.7.254", 7)]
    public void An_address_belongs_to_the_segment_of_its_block(string address, int segment)
        => Assert.Equal(segment, NetworkSegments.Of(Ipv4Network.Parse("10.1.0.0/21"), At(address)));

    [Fact]
    public void A_one_segment_network_is_its_bridge_and_its_whole_subnet()
    {
        var subnet = Ipv4Network.Parse("10.1.0.0/25");

        Assert.Equal(0, NetworkSegments.Of(subnet, At("10.1.0.126")));
        Assert.Equal("10.1.0.0/25", NetworkSegments.Block(subnet, 0).ToString());
        Assert.Empty(NetworkSegments.FurtherBridges("br-a", subnet));
        Assert.Equal(subnet.VmCapacity, NetworkSegments.VmCapacity(subnet));
    }

    [Fact]
    public void Blocks_are_aligned_and_contiguous()
    {
        var subnet = Ipv4Network.Parse("10.1.0.0/21");

        Assert.Equal("10.1.0.0/24", NetworkSegments.Block(subnet, 0).ToString());
        Assert.Equal("10.1.3.0/24", NetworkSegments.Block(subnet, 3).ToString());
        Assert.Equal("fd00:1::a01:300/120", NetworkSegments.Block6(Ipv6Prefix.Parse("fd00:1::/64"), subnet, 3).ToString());
    }

    [Fact]
    public void A_subnet_past_256_segments_holds_vms_in_its_first_65536_addresses()
    {
        var subnet = Ipv4Network.Parse("10.0.0.0/8");

        Assert.Equal("10.0.255.255", Ipv4Network.Format(NetworkSegments.LastVmAddress(subnet)));
        Assert.Equal(65_534, NetworkSegments.VmCapacity(subnet));
        Assert.Equal(Ipv4Network.Parse("10.100.0.0/16").LastVmAddress, NetworkSegments.LastVmAddress(Ipv4Network.Parse("10.100.0.0/16")));
    }

    [Theory]
    [InlineData("br-vms")]
    [InlineData("abcdefghijklmno")]
    public void Segment_bridges_are_interface_names_of_the_network_alone(string bridge)
    {
        var names = NetworkSegments.FurtherBridges(bridge, Ipv4Network.Parse("10.100.0.0/16")).ToList();

        Assert.Equal(255, names.Count);
        Assert.Equal(bridge, NetworkSegments.Bridge(bridge, 0));
        Assert.All(names, name => Assert.True(LinkName.IsValid(name), name));
        Assert.All(names, name => Assert.True(NetworkSegments.IsFurtherBridgeName(name), name));
        Assert.All(names, name => Assert.StartsWith(NetworkSegments.Prefix(bridge), name, StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.NotEqual(NetworkSegments.Prefix(bridge), NetworkSegments.Prefix(bridge + "2"));
        Assert.False(VmAddressing.IsHostVethName(names[^1]), "never taken for a VM's host veth");
    }

    [Theory]
    [InlineData("br-vms")]
    [InlineData("fl0a000002")]
    [InlineData("flb12345-1")]
    [InlineData("flb123456-")]
    [InlineData("flb123456-1234")]
    [InlineData("flb12345g-1")]
    public void Other_names_are_no_segment_bridges(string name) => Assert.False(NetworkSegments.IsFurtherBridgeName(name));
}
