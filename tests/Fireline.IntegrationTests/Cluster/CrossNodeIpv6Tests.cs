using System.Net;
using Fireline.IntegrationTests.Security;
using Fireline.Linux;
using Fireline.TestSupport;
using Fireline.TestSupport.Wire;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// IPv6 across nodes (<see cref="CrossNodeIpv6Fleet"/>): dual-stack VMs of one network on two nodes ping each other
/// over IPv6, the bridge answering neighbour solicitations for the remote VM from a permanent entry; a guest's frame
/// with another VM's IPv6 source, or a neighbour advertisement or duplicate-address probe for another VM's IPv6, does
/// not arrive at the other node; and the receiving node's VXLAN port itself refuses such frames from a member node.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class CrossNodeIpv6Tests(CrossNodeIpv6Fleet fleet) : IClassFixture<CrossNodeIpv6Fleet>
{
    private const ushort SentinelPort = 9999;

    [Fact]
    public void Dual_stack_vms_on_two_nodes_ping_each_other_over_ipv6()
    {
        Eventually.True(() => Ping6(fleet.A1, fleet.B1), "a VM on node-0 pings one of its network on node-1 over IPv6");
        Assert.True(Ping6(fleet.B1, fleet.A1), "and back");
        Assert.True(Ping6(fleet.A1, fleet.A2), "and one on its own node");
        Assert.Contains($"{fleet.B1.Vm.Ipv6!.Address} dev ", fleet.Fleet.PermanentNeighbours(0), StringComparison.Ordinal);
        Assert.Contains($"lladdr {fleet.B1.Vm.GuestMac} PERMANENT", fleet.Fleet.PermanentNeighbours(0), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_guest_cannot_send_as_another_vms_ipv6_address_to_the_other_node()
    {
        var spoofed = RawFrames.Marker();
        var sentinel = RawFrames.Marker();
        var a1 = fleet.A1;

        a1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, a1.Mac, fleet.A2.Ipv6, fleet.B1.Ipv6, 40000, SentinelPort, spoofed));
        a1.Wire.Send(RawFrames.NeighbourAdvert(a1.Mac, a1.LinkLocal, fleet.A2.Ipv6));
        a1.Wire.Send(RawFrames.NeighbourSolicit(a1.Mac, IPAddress.IPv6Any, fleet.A2.Ipv6));
        a1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, a1.Mac, a1.Ipv6, fleet.B1.Ipv6, 40000, SentinelPort, sentinel));

        // (The bridge floods no guest's unsolicited advertisement or probe to a neigh_suppress port, its own included:
        // that the VXLAN port refuses them anyway is the next test's.)
        fleet.B1.Wire.WaitFor(sentinel);
        Assert.False(fleet.B1.Wire.Seen(spoofed), "a frame with another VM's IPv6 address arrived on the other node");
        Assert.False(fleet.B1.Wire.Seen(f => Names(f, 136, fleet.A2.Ipv6, a1.LinkLocal)), "an advertisement for another VM's IPv6 address arrived on the other node");
        Assert.False(fleet.B1.Wire.Seen(f => Names(f, 135, fleet.A2.Ipv6, IPAddress.IPv6Any)), "a duplicate-address probe for another VM's IPv6 address arrived on the other node");
    }

    /// <summary>
    /// The tunnel is checked on its own, as if node-0's port had let them through: from node-0's underlay address with
    /// the network's VNI and A1's MAC (what the tunnel guard allows), an IPv6 packet from A2's address, an advertisement
    /// or probe for A2's address, and a router advertisement are dropped at node-1's VXLAN port; A1's own packet is not.
    /// </summary>
    [Fact]
    public void The_vxlan_port_lets_in_only_the_remote_vms_own_ipv6_addresses_and_no_router_advertisement()
    {
        using var underlay = new RawWire($"/var/run/netns/{fleet.Fleet.Underlay}", "u1");
        var nodeMac = MacAddress.Parse(Ip.Link(fleet.Fleet.Hosts[1].Host.HostNamespaceName, ClusterFleet.UnderlayLink)!.Value.GetProperty("address").GetString()!);
        var vni = int.Parse(fleet.Fleet.VxlanDevice(1)!["vx-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var a1 = fleet.A1;
        var spoofed = RawFrames.Marker();
        var sentinel = RawFrames.Marker();
        var advert = RawFrames.Udp(RawFrames.MulticastMac(IPAddress.Parse("ff02::1")), a1.Mac, a1.LinkLocal, IPAddress.Parse("ff02::1"), 40000, SentinelPort, []);
        advert[14 + 6] = 58; // an ICMPv6 router advertisement (type 134) in place of UDP: only its type is looked at
        advert[14 + 40] = 134;

        void Tunnel(byte[] inner)
            => underlay.Send(RawFrames.Vxlan(nodeMac, MacAddress.Parse("02:00:00:00:00:99"), IPAddress.Parse(ClusterFleet.UnderlayAddress(0)), IPAddress.Parse(ClusterFleet.UnderlayAddress(1)), vni, inner));

        Tunnel(RawFrames.Udp(fleet.B1.Mac, a1.Mac, fleet.A2.Ipv6, fleet.B1.Ipv6, 40000, SentinelPort, spoofed));
        Tunnel(RawFrames.NeighbourAdvert(a1.Mac, a1.LinkLocal, fleet.A2.Ipv6));
        Tunnel(RawFrames.NeighbourSolicit(a1.Mac, IPAddress.IPv6Any, fleet.A2.Ipv6));
        Tunnel(advert);
        Tunnel(RawFrames.NeighbourAdvert(a1.Mac, a1.LinkLocal, a1.Ipv6)); // A1's own: let in
        Tunnel(RawFrames.Udp(fleet.B1.Mac, a1.Mac, a1.Ipv6, fleet.B1.Ipv6, 40000, SentinelPort, sentinel));

        fleet.B1.Wire.WaitFor(sentinel);
        Eventually.True(() => fleet.B1.Wire.Seen(f => Names(f, 136, a1.Ipv6, a1.LinkLocal)), "A1's own advertisement came through the VXLAN port");
        Assert.False(fleet.B1.Wire.Seen(spoofed), "the VXLAN port let in another VM's IPv6 source");
        Assert.False(fleet.B1.Wire.Seen(f => Names(f, 136, fleet.A2.Ipv6, a1.LinkLocal)), "the VXLAN port let in an advertisement for another VM's IPv6 address");
        Assert.False(fleet.B1.Wire.Seen(f => Names(f, 135, fleet.A2.Ipv6, IPAddress.IPv6Any)), "the VXLAN port let in a duplicate-address probe for another VM's IPv6 address");
        Assert.False(fleet.B1.Wire.Seen(f => f.Length > 54 && f[12] == 0x86 && f[13] == 0xdd && f[20] == 58 && f[54] == 134), "the VXLAN port let in a router advertisement");
    }

    private static bool Ping6(Guest from, Guest to) => from.StandIn.Run("ping", "-6", "-c", "1", "-W", "2", to.Vm.Ipv6!.Address).ExitCode == 0;

    /// <summary>
    /// Whether a frame is an ICMPv6 neighbour message of <paramref name="type"/> (135 solicitation, 136 advertisement)
    /// from <paramref name="source"/> naming <paramref name="target"/> (others, such as a guest's own solicitations, may pass).
    /// </summary>
    private static bool Names(byte[] frame, byte type, IPAddress target, IPAddress source)
        => frame.Length >= 78 && frame[12] == 0x86 && frame[13] == 0xdd && frame[20] == 58 && frame[54] == type &&
           frame.AsSpan(22, 16).SequenceEqual(source.GetAddressBytes()) && frame.AsSpan(62, 16).SequenceEqual(target.GetAddressBytes());
}

/// <summary>
/// Two nodes and dual-stack network <c>dual</c> (10.77.0.0/24, fd77::/64) with A1 and A2 on node-0 and B1 on node-1,
/// each with IPv6, a stand-in and a raw socket beside it.
/// </summary>
public sealed class CrossNodeIpv6Fleet : IDisposable
{
    public const string Network = "dual";

    public CrossNodeIpv6Fleet()
    {
        Fleet = new ClusterFleet(nodes: 2);
        try
        {
            Fleet.Define(Network, """{"subnet":"10.77.0.0/24","ipv6":"fd77::/64"}""");
            A1 = Guest(0, "a1");
            A2 = Guest(0, "a2");
            B1 = Guest(1, "b1");
            Eventually.True(() => Fleet.Tunnels(0, B1.Vm.GuestMac, 1) && Fleet.Tunnels(1, A1.Vm.GuestMac, 0) && Fleet.Tunnels(1, A2.Vm.GuestMac, 0),
                "both nodes programmed each other's VMs");
        }
        catch
        {
            Fleet.Dispose();
            throw;
        }
    }

    public ClusterFleet Fleet { get; }

    public Guest A1 { get; } = null!;

    public Guest A2 { get; } = null!;

    public Guest B1 { get; } = null!;

    public void Dispose() => Fleet.Dispose();

    private Guest Guest(int node, string name)
    {
        var vm = Fleet.Create(node, name, Network, ipv6: true);
        var standIn = Fleet.Guest(node, vm);
        return new Guest(vm, standIn, Fleet.Own(new RawWire($"/var/run/netns/{standIn.Namespace}", "eth0")));
    }
}
