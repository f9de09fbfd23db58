using System.Buffers.Binary;
using System.Net;
using Fireline.Linux;
using Fireline.Linux.Conntrack;
using Fireline.Linux.Namespaces;
using Fireline.Policy;
using Fireline.TestSupport.Wire;
using Fireline.TestSupport;
using static Fireline.IntegrationTests.Security.TenantBoundaryHost;

namespace Fireline.IntegrationTests.Security;

/// <summary>
/// The tenant boundary attacked from inside (a guest writing whatever frames it likes on its TAP) and from the
/// uplink, each attack followed by a sentinel the boundary lets through on the same path: once the sentinel is
/// seen, the attack's frame would have been too, had it passed. Nothing here waits on a clock.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class TenantBoundaryTests(TenantBoundaryHost host) : IClassFixture<TenantBoundaryHost>
{
    private const ushort HostServicePort = 7100;

    [Fact]
    public void A_link_local_source_reaches_no_peer_on_a_closed_network()
    {
        var attack = RawFrames.Marker();
        host.C1.Wire.Send(RawFrames.Udp(host.C2.Mac, host.C1.Mac, host.C1.LinkLocal, host.C2.LinkLocal, 40000, 5000, attack));
        var global = RawFrames.Marker();
        host.C1.Wire.Send(RawFrames.Udp(host.C2.Mac, host.C1.Mac, host.C1.Ipv6, host.C2.Ipv6, 40000, 5000, global));
        AfterSentinel(host.C1, host.C2, ipv6: true);

        Assert.False(host.C2.Wire.Seen(attack), "link-local to link-local went through defaultIngress: deny");
        Assert.False(host.C2.Wire.Seen(global), "global to global went through defaultIngress: deny");
    }

    [Fact]
    public void Broadcast_and_multicast_stop_at_a_closed_network_and_cross_an_open_one()
    {
        foreach (var (from, to, closed) in new[] { (host.C1, host.C2, true), (host.O1, host.O2, false) })
        {
            var subnetBroadcast = IPAddress.Parse(closed ? "10.210.0.255" : "10.211.0.255");
            var markers = new List<byte[]>();
            foreach (var (destination, mac) in new[]
            {
                (IPAddress.Broadcast, RawFrames.Broadcast),
                (subnetBroadcast, RawFrames.Broadcast),
                (IPAddress.Parse("224.0.0.251"), RawFrames.MulticastMac(IPAddress.Parse("224.0.0.251"))),
                (IPAddress.Parse("ff02::1"), RawFrames.MulticastMac(IPAddress.Parse("ff02::1"))),
            })
            {
                var marker = RawFrames.Marker();
                markers.Add(marker);
                var source = destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? from.Ipv4 : from.LinkLocal;
                from.Wire.Send(RawFrames.Udp(mac, from.Mac, source, destination, 40000, 5353, marker));
            }

            AfterSentinel(from, to, ipv6: false);
            foreach (var marker in markers)
            {
                Assert.Equal(!closed, to.Wire.Seen(marker));
            }
        }
    }

    [Fact]
    public void Host_services_answer_a_guest_on_no_address_link_local_or_global()
    {
        var bridge = host.Env.Engine.GetNetwork("closed").Bridge;
        var bridgeMac = Mac(host.Env.Host.HostNamespaceName, bridge);
        var bridgeLinkLocal = IPAddress.Parse(Ip.AddressesOf(host.Env.Host.HostNamespaceName, bridge)
            .Single(a => a.GetProperty("family").GetString() == "inet6" && a.GetProperty("scope").GetString() == "link").GetProperty("local").GetString()!);
        using var service = new ListeningProcess(Probes.Listen(host.Env.Host.HostNamespaceName, HostServicePort, dualStack: true));
        Assert.True(Probes.CanConnect(host.Env.Host.OutsideNamespaceName, TestHost.HostUplinkAddress.ToString(), HostServicePort), "the service itself is up");

        ushort port = 41000;
        foreach (var (source, destination) in new[]
        {
            (host.C1.LinkLocal, bridgeLinkLocal),
            (host.C1.Ipv6, host.C1.Gateway6),
            (host.C1.LinkLocal, host.C1.Gateway6),
            (host.C1.Ipv4, host.C1.Gateway4),
            (host.C1.Ipv4, TestHost.HostUplinkAddress),
        })
        {
            host.C1.Wire.Send(RawFrames.TcpSyn(bridgeMac, host.C1.Mac, source, destination, port++, HostServicePort));
        }

        // The sentinel: a ping to the gateway, which the host answers.
        var echo = RawFrames.Marker();
        host.C1.Wire.Send(RawFrames.EchoRequest(bridgeMac, host.C1.Mac, host.C1.Ipv4, host.C1.Gateway4, echo));
        host.C1.Wire.WaitFor(echo);

        Assert.False(host.C1.Wire.Seen(f => IsTcpFrom(f, HostServicePort)), "the host answered a guest's connection attempt");
    }

    /// <summary>
    /// A reused address's flows are forgotten by original and reply source only: that holds only if a guest cannot
    /// leave a tracked flow under an address it does not own. Its forged frames must die before their entries are
    /// confirmed, while its own frame on the same path is tracked.
    /// </summary>
    [Fact]
    public void A_guest_leaves_no_tracked_flow_under_an_address_it_does_not_own()
    {
        var gateway = Mac(host.Env.Host.HostNamespaceName, host.Env.Engine.GetNetwork("open").Bridge);
        var forged = new[] { host.O2.Ipv4, IPAddress.Parse("10.211.0.200"), IPAddress.Parse("10.210.0.77") };
        var markers = forged.Select(source =>
        {
            var marker = RawFrames.Marker();
            host.O1.Wire.Send(RawFrames.Udp(gateway, host.O1.Mac, source, TestHost.OutsideAddress, 42000, 5300, marker));
            return marker;
        }).ToList();
        var own = RawFrames.Marker();
        host.O1.Wire.Send(RawFrames.Udp(gateway, host.O1.Mac, host.O1.Ipv4, TestHost.OutsideAddress, 42000, 5300, own));
        host.Uplink.WaitFor(own);

        Assert.All(markers, marker => Assert.False(host.Uplink.Seen(marker), "a forged source went out"));
        using var hostNamespace = NetworkNamespace.Open(host.Env.Host.HostNamespaceName);
        using var conntrack = Conntrack.Open(hostNamespace);
        var entries = conntrack.List();
        Assert.Contains(entries, e => e.Original.Source.Equals(host.O1.Ipv4) && e.Original.DestinationPort == 5300);
        Assert.DoesNotContain(entries, e => forged.Any(e.Involves));
    }

    [Fact]
    public void The_metadata_address_is_reached_only_where_a_policy_names_it()
    {
        var outside = host.Env.Host.OutsideNamespaceName;
        Ip.Run("-n", outside, "addr", "add", "169.254.169.254/32", "dev", TestHost.UplinkName);
        using var metadata = new ListeningProcess(Probes.Listen(outside, 80));
        try
        {
            Assert.True(host.O1.StandIn.CanConnect("169.254.169.254", 80), "a network whose policy names the address reaches it");
            Assert.False(host.C1.StandIn.CanConnect("169.254.169.254", 80), "a network whose policy does not name it does not");
        }
        finally
        {
            Ip.Run("-n", outside, "addr", "del", "169.254.169.254/32", "dev", TestHost.UplinkName);
        }
    }

    [Fact]
    public void A_duplicate_address_probe_passes_only_for_the_senders_own_address()
    {
        var target = host.C2.Ipv6.GetAddressBytes();
        host.C1.Wire.Send(RawFrames.NeighbourSolicit(host.C1.Mac, IPAddress.IPv6Any, host.C2.Ipv6));
        // An ordinary solicitation for the same address (from the sender's own address) passes: the probe could have.
        host.C1.Wire.Send(RawFrames.NeighbourSolicit(host.C1.Mac, host.C1.LinkLocal, host.C2.Ipv6));
        AfterSentinel(host.C1, host.C2, ipv6: true);

        Assert.True(host.C2.Wire.Seen(f => IsNeighbourSolicitation(f, fromUnspecified: false, target)), "an ordinary solicitation must arrive");
        Assert.False(host.C2.Wire.Seen(f => IsNeighbourSolicitation(f, fromUnspecified: true, target)), "a probe for another VM's address arrived");
    }

    [Fact]
    public void Neighbour_advertisements_and_arp_for_another_vms_address_stop_at_the_port()
    {
        host.C1.Wire.Send(RawFrames.NeighbourAdvert(host.C1.Mac, host.C1.LinkLocal, host.C2.Ipv6));
        host.C1.Wire.Send(RawFrames.Arp(host.C1.Mac, 2, host.C1.Mac, host.C2.Ipv4, RawFrames.Broadcast, host.C2.Ipv4));
        host.C1.Wire.Send(RawFrames.Arp(host.C1.Mac, 1, host.C1.Mac, IPAddress.Parse("10.210.0.99"), default, host.C2.Ipv4));
        AfterSentinel(host.C1, host.C2, ipv6: true);

        var claimed = host.C2.Ipv6.GetAddressBytes();
        Assert.False(host.C2.Wire.Seen(f => IsIcmpv6(f, 136) && f.AsSpan(62, 16).SequenceEqual(claimed)), "an advertisement of another VM's address arrived");
        // ARP's sender hardware address is at bytes 22-27 of the frame, its sender address at 28-31.
        Assert.False(host.C2.Wire.Seen(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == RawFrames.ArpType && f.AsSpan(22, 6).SequenceEqual(host.C1.Mac.ToBytes()) &&
            !f.AsSpan(28, 4).SequenceEqual(host.C1.Ipv4.GetAddressBytes())), "ARP with another sender address arrived");
    }

    [Fact]
    public void A_network_source_forged_on_the_uplink_does_not_pass_a_peers_only_rule_through_a_forward()
    {
        host.C2.StandIn.Listen(PeersOnlyPort);
        Assert.True(host.C1.StandIn.CanConnect(host.C2.Vm.Ipv4.Address, PeersOnlyPort), "a real peer is let in on the peers-only port");
        host.Env.Engine.ForwardPort(host.C2.Vm.VmId, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 17000, VmPort = PeersOnlyPort });
        host.Env.Engine.ForwardPort(host.C2.Vm.VmId, new ForwardRequest { Protocol = ForwardProtocol.Udp, HostPort = 17001, VmPort = SentinelPort });
        var outsideMac = Mac(host.Env.Host.OutsideNamespaceName, TestHost.UplinkName);
        var forged = IPAddress.Parse("10.210.0.77");

        host.Uplink.Send(RawFrames.TcpSyn(host.UplinkMac, outsideMac, forged, TestHost.HostUplinkAddress, 42000, 17000));
        var sentinel = RawFrames.Marker();
        host.Uplink.Send(RawFrames.Udp(host.UplinkMac, outsideMac, TestHost.OutsideAddress, TestHost.HostUplinkAddress, 42001, 17001, sentinel));
        host.C2.Wire.WaitFor(sentinel);

        Assert.False(host.C2.Wire.Seen(f => IsTcpSynTo(f, PeersOnlyPort, forged)), "a forged peer address came in through a port forward");
    }

    [Fact]
    public void The_uplink_reaches_a_guest_only_through_a_port_forward()
    {
        host.Env.Engine.ForwardPort(host.O1.Vm.VmId, new ForwardRequest { Protocol = ForwardProtocol.Udp, HostPort = 17002, VmPort = SentinelPort });
        var outsideMac = Mac(host.Env.Host.OutsideNamespaceName, TestHost.UplinkName);
        var direct = RawFrames.Marker();
        host.Uplink.Send(RawFrames.Udp(host.UplinkMac, outsideMac, TestHost.OutsideAddress, host.O1.Ipv4, 42002, SentinelPort, direct));
        host.Uplink.Send(RawFrames.TcpSyn(host.UplinkMac, outsideMac, TestHost.OutsideAddress, host.O1.Ipv4, 42003, 22));
        var sentinel = RawFrames.Marker();
        host.Uplink.Send(RawFrames.Udp(host.UplinkMac, outsideMac, TestHost.OutsideAddress, TestHost.HostUplinkAddress, 42004, 17002, sentinel));
        host.O1.Wire.WaitFor(sentinel);

        Assert.False(host.O1.Wire.Seen(direct), "a datagram addressed to the VM came in without a forward");
        Assert.False(host.O1.Wire.Seen(f => IsTcpSynTo(f, 22, TestHost.OutsideAddress)), "a connection addressed to the VM came in without a forward");
    }

    [Fact]
    public void A_forward_to_another_network_is_no_way_across_from_a_guest()
    {
        host.O2.StandIn.Listen(7300);
        host.Env.Engine.ForwardPort(host.O2.Vm.VmId, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 17300, VmPort = 7300 });

        Assert.True(Probes.CanConnect(host.Env.Host.OutsideNamespaceName, TestHost.HostUplinkAddress.ToString(), 17300), "the forward works from outside");
        Assert.False(host.C1.StandIn.CanConnect(TestHost.HostUplinkAddress.ToString(), 17300), "a guest of another network went through the forward");
    }

    [Fact]
    public void The_hosts_other_networks_are_reached_only_where_a_policy_names_them()
    {
        var lan = host.Env.Host.Prefix + "-lan";
        Ip.Run("netns", "add", lan);
        Ip.Run("-n", host.Env.Host.HostNamespaceName, "link", "add", "lan0", "type", "veth", "peer", "name", "eth0", "netns", lan);
        Ip.Run("-n", host.Env.Host.HostNamespaceName, "addr", "add", "10.250.0.1/24", "dev", "lan0");
        Ip.Run("-n", host.Env.Host.HostNamespaceName, "link", "set", "lan0", "up");
        Ip.Run("-n", lan, "addr", "add", "10.250.0.2/24", "dev", "eth0");
        Ip.Run("-n", lan, "link", "set", "eth0", "up");
        Ip.Run("-n", lan, "route", "add", "default", "via", "10.250.0.1");
        using var server = new ListeningProcess(Probes.Listen(lan, 80));
        try
        {
            Assert.True(host.O1.StandIn.CanConnect("10.250.0.2", 80), "a network whose policy names the host network reaches it");
            Assert.False(host.C1.StandIn.CanConnect("10.250.0.2", 80), "a network whose policy does not name it does not");
        }
        finally
        {
            Ip.Run("netns", "del", lan);
        }
    }

    /// <summary>Sends the sentinel and waits for it: everything sent before on that path has arrived by then, or never will.</summary>
    private static void AfterSentinel(Guest from, Guest to, bool ipv6)
    {
        var marker = RawFrames.Marker();
        from.Wire.Send(Sentinel(from, to, ipv6, marker));
        to.Wire.WaitFor(marker);
    }

    private static (int Protocol, int Transport, IPAddress Source) Layer3(byte[] frame)
    {
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        return type switch
        {
            RawFrames.Ipv4Type => (frame[23], 14 + ((frame[14] & 0x0f) * 4), new IPAddress(frame.AsSpan(26, 4))),
            RawFrames.Ipv6Type => (frame[20], 54, new IPAddress(frame.AsSpan(22, 16))),
            _ => (-1, 0, IPAddress.None),
        };
    }

    private static bool IsTcpFrom(byte[] frame, ushort sourcePort)
    {
        var (protocol, transport, _) = Layer3(frame);
        return protocol == 6 && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(transport)) == sourcePort;
    }

    private static bool IsTcpSynTo(byte[] frame, int port, IPAddress source)
    {
        var (protocol, transport, from) = Layer3(frame);
        return protocol == 6 && from.Equals(source) && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(transport + 2)) == port && (frame[transport + 13] & 0x02) != 0;
    }

    private static bool IsIcmpv6(byte[] frame, byte type) => Layer3(frame) is (58, var transport, _) && frame[transport] == type;

    private static bool IsNeighbourSolicitation(byte[] frame, bool fromUnspecified, byte[] target)
        => IsIcmpv6(frame, 135) && Layer3(frame).Source.Equals(IPAddress.IPv6Any) == fromUnspecified && frame.AsSpan(62, 16).SequenceEqual(target);
}
