using System.Net;
using Fireline.Addressing;
using Fireline.Linux;
using Fireline.TestSupport;
using Fireline.TestSupport.Wire;

namespace Fireline.IntegrationTests.Networks;

/// <summary>
/// Two VMs of one network on different segments (bridges) reach each other, the gateway and the outside as two VMs of
/// one bridge do, with the guest configuration of a one-bridge network; isolation, policy and anti-spoofing hold
/// across segments as within one.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class SegmentsTrafficTests(SegmentsHost host) : IClassFixture<SegmentsHost>
{
    private const int UdpPort = 5000;

    private string Ns => host.Env.Host.HostNamespaceName;

    private static string Master(string ns, string link) => Ip.Link(ns, link)!.Value.GetProperty("master").GetString()!;

    [Fact]
    public void The_vms_are_on_two_segments_with_the_guest_configuration_of_one_network()
    {
        Assert.Equal("10.140.0.2", host.Near.Vm.Ipv4.Address);
        Assert.Equal("10.140.1.0", host.Far.Vm.Ipv4.Address);
        Assert.Equal("br-seg", Master(Ns, host.Near.Vm.HostVeth));
        Assert.Equal(NetworkSegments.Bridge("br-seg", 1), Master(Ns, host.Far.Vm.HostVeth));
        Assert.Equal((host.Near.Vm.Ipv4.Gateway, host.Near.Vm.Ipv4.PrefixLength), (host.Far.Vm.Ipv4.Gateway, host.Far.Vm.Ipv4.PrefixLength));
        Assert.Equal(23, host.Far.Vm.Ipv4.PrefixLength);
        Assert.All(host.Fillers, vm => Assert.Equal("br-seg", Master(Ns, vm.HostVeth)));
    }

    [Fact]
    public void Vms_on_two_segments_reach_each_other_by_icmp_tcp_and_udp()
    {
        host.Near.StandIn.Listen(80);
        host.Far.StandIn.Listen(80);
        Assert.True(host.Near.StandIn.Ping(host.Far.Vm.Ipv4.Address), "segment 0 pings segment 1");
        Assert.True(host.Far.StandIn.Ping(host.Near.Vm.Ipv4.Address), "segment 1 pings segment 0");
        Assert.True(host.Near.StandIn.CanConnect(host.Far.Vm.Ipv4.Address, 80));
        Assert.True(host.Far.StandIn.CanConnect(host.Near.Vm.Ipv4.Address, 80));

        // The guest's ARP for a VM of another segment is answered by its own segment's bridge, with the gateway's MAC.
        var gatewayMac = VmAddressing.GuestMac(Ipv4Network.ToUInt32(host.Near.Gateway4)).ToString();
        var learned = Ip.Neighbours(host.Near.StandIn.Namespace).Single(n => n.GetProperty("dst").GetString() == host.Far.Vm.Ipv4.Address);
        Assert.Equal(gatewayMac, learned.GetProperty("lladdr").GetString());

        var marker = RawFrames.Marker();
        host.Far.Wire.Send(RawFrames.Udp(MacAddress.Parse(gatewayMac), host.Far.Mac, host.Far.Ipv4, host.Near.Ipv4, 40000, UdpPort, marker));
        host.Near.Wire.WaitFor(marker);
    }

    [Fact]
    public void Vms_on_both_segments_reach_the_gateway_and_the_outside()
    {
        Assert.True(host.Near.StandIn.Ping(host.Near.Vm.Ipv4.Gateway));
        Assert.True(host.Far.StandIn.Ping(host.Far.Vm.Ipv4.Gateway));
        using var server = OutsideServer.Start(host.Env.Host);
        Assert.True(host.Far.StandIn.CanConnect(TestHost.OutsideAddress.ToString(), OutsideServer.Port));
        Assert.Equal(TestHost.HostUplinkAddress.ToString(), server.FirstPeer()); // masqueraded
        Assert.True(host.Near.StandIn.CanConnect(TestHost.OutsideAddress.ToString(), OutsideServer.Port));
    }

    [Fact]
    public void Vms_on_both_segments_reach_the_ipv6_gateway()
    {
        Assert.True(host.Near.StandIn.Ping(host.Near.Vm.Ipv6!.Gateway));
        Assert.True(host.Far.StandIn.Ping(host.Far.Vm.Ipv6!.Gateway), "segment 1's bridge answers for the gateway and the route leads back");
    }

    [Fact]
    public void A_vm_of_another_network_reaches_neither_segment()
    {
        host.Near.StandIn.Listen(8080);
        host.Far.StandIn.Listen(8080);
        Assert.True(host.Near.StandIn.CanConnect(host.Far.Vm.Ipv4.Address, 8080), "the port is open within the network");
        Assert.False(host.Stranger.StandIn.CanConnect(host.Near.Vm.Ipv4.Address, 8080));
        Assert.False(host.Stranger.StandIn.CanConnect(host.Far.Vm.Ipv4.Address, 8080));
        Assert.False(host.Stranger.StandIn.Ping(host.Far.Vm.Ipv4.Address));
        Assert.False(host.Far.StandIn.Ping(host.Stranger.Vm.Ipv4.Address));
    }

    [Fact]
    public void The_networks_policy_holds_between_segments()
    {
        host.Near.StandIn.Listen(22);
        host.Far.StandIn.Listen(22);
        Assert.False(host.Far.StandIn.CanConnect(host.Near.Vm.Ipv4.Address, 22), "no-ssh from segment 1 to segment 0");
        Assert.False(host.Near.StandIn.CanConnect(host.Far.Vm.Ipv4.Address, 22), "no-ssh from segment 0 to segment 1");
    }

    [Fact]
    public void Frames_from_segment_1_that_lie_about_their_sender_never_arrive_on_segment_0()
    {
        var gatewayMac = VmAddressing.GuestMac(Ipv4Network.ToUInt32(host.Far.Gateway4));
        var other = IPAddress.Parse(host.Fillers[0].Ipv4.Address);
        var forgedAddress = RawFrames.Marker();
        host.Far.Wire.Send(RawFrames.Udp(gatewayMac, host.Far.Mac, other, host.Near.Ipv4, 40000, UdpPort, forgedAddress));
        var forgedMac = RawFrames.Marker();
        host.Far.Wire.Send(RawFrames.Udp(gatewayMac, MacAddress.Parse(host.Fillers[0].GuestMac), host.Far.Ipv4, host.Near.Ipv4, 40000, UdpPort, forgedMac));
        // An ARP request that claims the near VM's address: the host would learn it on segment 1's bridge.
        host.Far.Wire.Send(RawFrames.Arp(host.Far.Mac, 1, host.Far.Mac, host.Near.Ipv4, RawFrames.Broadcast, host.Far.Gateway4));

        // The same frame with the sender's own address and MAC arrives: after it, the forged ones had their time.
        var honest = RawFrames.Marker();
        host.Far.Wire.Send(RawFrames.Udp(gatewayMac, host.Far.Mac, host.Far.Ipv4, host.Near.Ipv4, 40000, UdpPort, honest));
        host.Near.Wire.WaitFor(honest);
        Assert.False(host.Near.Wire.Seen(forgedAddress), "a forged source address crossed segments");
        Assert.False(host.Near.Wire.Seen(forgedMac), "a forged source MAC crossed segments");
        Assert.DoesNotContain(Ip.Neighbours(Ns), n => n.GetProperty("dst").GetString() == host.Near.Vm.Ipv4.Address &&
                                                      n.GetProperty("dev").GetString() == NetworkSegments.Bridge("br-seg", 1));
        Assert.True(host.Near.StandIn.Ping(host.Far.Vm.Ipv4.Address), "the near VM is still reached where it is");
    }
}
