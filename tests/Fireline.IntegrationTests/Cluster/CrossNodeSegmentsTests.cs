using System.Buffers.Binary;
using Fireline.Addressing;
using Fireline.Firewall;
using Fireline.IntegrationTests.Security;
using Fireline.Linux;
using Fireline.TestSupport;
using Fireline.TestSupport.Wire;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// A cluster network of two segments (a /23: two bridges per node, joined by the host at layer 3) on two nodes
/// (<see cref="CrossNodeSegmentsFleet"/>): each segment is one L2 segment across the fleet with a VXLAN device of its
/// own, so VMs of both segments on both nodes reach each other; another network's VM is reached by none; a guest of
/// segment 1 cannot send as another VM (nor as the gateway) to the other node; a deleted VM's entries go, and a node
/// that has no VM left in the network removes its devices.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class CrossNodeSegmentsTests(CrossNodeSegmentsFleet fleet) : IClassFixture<CrossNodeSegmentsFleet>
{
    private const ushort SentinelPort = 9999;

    [Fact]
    public void Vms_of_both_segments_on_two_nodes_reach_each_other_each_segment_through_its_own_vxlan_device()
    {
        Guest[] node0 = [fleet.A0, fleet.A1];
        Guest[] node1 = [fleet.B0, fleet.B1];
        foreach (var (from, to) in node0.SelectMany(a => node1.Select(b => (a, b))).SelectMany(p => new[] { p, (p.b, p.a) }))
        {
            Eventually.True(() => from.StandIn.Ping(to.Vm.Ipv4.Address), $"{from.Vm.Ipv4.Address} pings {to.Vm.Ipv4.Address} across nodes");
        }

        var fdb = fleet.Fleet.Fdb(0);
        var device0 = DeviceOf(fdb, fleet.B0.Vm.GuestMac);
        var device1 = DeviceOf(fdb, fleet.B1.Vm.GuestMac);
        Assert.NotEqual(device0, device1); // one VXLAN segment per network segment
        Assert.Equal(device1, DeviceOf(fleet.Fleet.Fdb(1), fleet.A1.Vm.GuestMac)); // the same VNI on both nodes
        Assert.Equal(device0, DeviceOf(fleet.Fleet.Fdb(1), fleet.A0.Vm.GuestMac));
        Assert.Contains($"{fleet.B1.Vm.Ipv4.Address} dev {fleet.SegmentBridge} lladdr {fleet.B1.Vm.GuestMac} PERMANENT", fleet.Fleet.PermanentNeighbours(0), StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"{fleet.B0.Vm.Ipv4.Address} dev {fleet.Bridge} lladdr {fleet.B0.Vm.GuestMac} PERMANENT", fleet.Fleet.PermanentNeighbours(0), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A SYN the host routes from segment 0 into segment 1's tunnel leaves by the bridge's output, not its forward
    /// path: it too must offer an MSS that fits a 1500-byte underlay (the stand-in offers 1460).
    /// </summary>
    [Fact]
    public void A_tcp_syn_routed_to_another_segment_on_the_other_node_offers_an_mss_that_fits_the_underlay()
    {
        const ushort port = 7003;
        _ = fleet.A0.StandIn.CanConnect(fleet.B1.Vm.Ipv4.Address, port); // nothing listens: the SYN is what counts

        Assert.True(fleet.B1.Wire.Seen(f => SynMss(f, port) is not null), "the routed SYN arrived on the other node");
        Assert.False(fleet.B1.Wire.Seen(f => SynMss(f, port) > FrameRules.VxlanMss), "a routed SYN crossed nodes offering an MSS the underlay cannot carry");
    }

    [Fact]
    public void A_vm_of_another_network_on_the_other_node_is_reached_from_neither_segment()
    {
        var attack = RawFrames.Marker();
        var sentinel = RawFrames.Marker();

        Assert.False(fleet.A0.StandIn.Ping(fleet.Other.Vm.Ipv4.Address), "a VM of segment 0 pinged another network's VM on another node");
        Assert.False(fleet.A1.StandIn.Ping(fleet.Other.Vm.Ipv4.Address), "a VM of segment 1 pinged another network's VM on another node");
        fleet.A1.Wire.Send(RawFrames.Udp(fleet.Other.Mac, fleet.A1.Mac, fleet.A1.Ipv4, fleet.Other.Ipv4, 40000, SentinelPort, attack));
        fleet.A1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, fleet.A1.Mac, fleet.A1.Ipv4, fleet.B1.Ipv4, 40000, SentinelPort, sentinel));

        fleet.B1.Wire.WaitFor(sentinel);
        Assert.False(fleet.Other.Wire.Seen(attack), "a frame addressed straight to another network's VM crossed nodes");
    }

    [Fact]
    public void A_frame_a_guest_of_segment_1_sends_as_another_vm_or_the_gateway_does_not_arrive_on_the_other_node()
    {
        var gatewayMac = VmAddressing.GuestMac(Ipv4Network.ToUInt32(fleet.A1.Gateway4));
        var spoofed = RawFrames.Marker();
        var ipOnly = RawFrames.Marker();
        var asGateway = RawFrames.Marker();
        var routedSpoof = RawFrames.Marker();
        var sentinel = RawFrames.Marker();
        var routed = RawFrames.Marker();

        // Within segment 1 (bridged across the tunnel), as A0 (MAC and address, or address only) and as the gateway.
        fleet.A1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, fleet.A0.Mac, fleet.A0.Ipv4, fleet.B1.Ipv4, 40000, SentinelPort, spoofed));
        fleet.A1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, fleet.A1.Mac, fleet.A0.Ipv4, fleet.B1.Ipv4, 40000, SentinelPort, ipOnly));
        fleet.A1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, gatewayMac, fleet.A0.Ipv4, fleet.B1.Ipv4, 40000, SentinelPort, asGateway));
        // Routed to segment 0 of the other node, from A0's address.
        fleet.A1.Wire.Send(RawFrames.Udp(gatewayMac, fleet.A1.Mac, fleet.A0.Ipv4, fleet.B0.Ipv4, 40000, SentinelPort, routedSpoof));
        fleet.A1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, fleet.A1.Mac, fleet.A1.Ipv4, fleet.B1.Ipv4, 40000, SentinelPort, sentinel));
        fleet.A1.Wire.Send(RawFrames.Udp(gatewayMac, fleet.A1.Mac, fleet.A1.Ipv4, fleet.B0.Ipv4, 40000, SentinelPort, routed));

        fleet.B1.Wire.WaitFor(sentinel);
        fleet.B0.Wire.WaitFor(routed);
        Assert.False(fleet.B1.Wire.Seen(spoofed), "a frame with another VM's MAC and address arrived on the other node");
        Assert.False(fleet.B1.Wire.Seen(ipOnly), "a frame with another VM's address arrived on the other node");
        Assert.False(fleet.B1.Wire.Seen(asGateway), "a frame with the gateway's MAC arrived on the other node");
        Assert.False(fleet.B0.Wire.Seen(routedSpoof), "a routed packet with another VM's address arrived on the other node");
    }

    [Fact]
    public void A_deleted_vm_of_segment_1_leaves_no_entry_on_the_other_node()
    {
        var gone = fleet.Fleet.Create(1, "gone", CrossNodeSegmentsFleet.Network);
        Assert.StartsWith("10.74.1.", gone.Ipv4.Address, StringComparison.Ordinal);
        Eventually.True(() => fleet.Fleet.Tunnels(0, gone.GuestMac, 1), "node-0 programs the new VM of segment 1");

        Assert.Equal(200, fleet.Fleet.Daemons[1].Send("DELETE", $"/v1/vms/{gone.VmId}").Status);

        Eventually.True(() => !fleet.Fleet.Fdb(0).Contains(gone.GuestMac, StringComparison.Ordinal) &&
                              !fleet.Fleet.PermanentNeighbours(0).Contains(gone.Ipv4.Address + " ", StringComparison.Ordinal),
            $"node-0 removed the deleted VM's FDB and neighbour entries; FDB:\n{fleet.Fleet.Fdb(0)}\nneighbours:\n{fleet.Fleet.PermanentNeighbours(0)}");
    }

    /// <summary>
    /// A network of its own, so the fleet's stays whole for the other tests: node-0's only VM of it is in segment 0,
    /// node-1's in segment 1 (segment 0's other blocks are claimed for a node that does not exist), so each node
    /// carries both segments, one for its own VM and one for the other's. When node-0's VM goes, node-0 has no VM in
    /// the network and removes both devices; node-1 drops node-0's VM and keeps only its own segment's device.
    /// </summary>
    [Fact]
    public void A_node_with_no_vm_left_in_the_network_removes_its_vxlan_devices()
    {
        const string solo = "solo";
        fleet.Fleet.Define(solo, """{"subnet":"10.76.0.0/23"}""");
        foreach (var block in new[] { "64", "128", "192" })
        {
            fleet.Fleet.Etcd.Put($"/fireline/blocks/{solo}/10.76.0.{block}/26", "elsewhere");
        }

        var here = fleet.Fleet.Create(0, "solo0", solo);
        var there = fleet.Fleet.Create(1, "solo1", solo);
        Assert.StartsWith("10.76.0.", here.Ipv4.Address, StringComparison.Ordinal);
        Assert.StartsWith("10.76.1.", there.Ipv4.Address, StringComparison.Ordinal);
        Eventually.True(() => fleet.Fleet.Tunnels(0, there.GuestMac, 1) && fleet.Fleet.Tunnels(1, here.GuestMac, 0), "both nodes programmed each other's VM");
        var segment0 = DeviceOf(fleet.Fleet.Fdb(1), here.GuestMac);
        var segment1 = DeviceOf(fleet.Fleet.Fdb(0), there.GuestMac);
        Assert.NotEqual(segment0, segment1);
        Assert.Contains(segment0, Devices(0));
        Assert.Contains(segment1, Devices(1));

        Assert.Equal(200, fleet.Fleet.Daemons[0].Send("DELETE", $"/v1/vms/{here.VmId}").Status);

        Eventually.True(() => !Devices(0).Contains(segment0) && !Devices(0).Contains(segment1),
            $"node-0 removed both VXLAN devices of the network; its devices: {string.Join(", ", Devices(0))}");
        Eventually.True(() => !Devices(1).Contains(segment0), $"node-1 removed segment 0's device, which only node-0's VM needed; its devices: {string.Join(", ", Devices(1))}");
        Assert.Contains(segment1, Devices(1));
        Assert.DoesNotContain(here.GuestMac, fleet.Fleet.Fdb(1), StringComparison.Ordinal);
        Assert.Equal(200, fleet.Fleet.Daemons[1].Send("DELETE", $"/v1/vms/{there.VmId}").Status);
    }

    private List<string> Devices(int node)
        => [.. Ip.Links(fleet.Fleet.Hosts[node].Host.HostNamespaceName).Select(l => l.GetProperty("ifname").GetString()!).Where(n => n.StartsWith("vx-", StringComparison.Ordinal))];

    /// <summary>The MSS option of a TCP SYN (Ethernet, IPv4) to <paramref name="port"/>; null for any other frame.</summary>
    private static int? SynMss(byte[] frame, ushort port)
    {
        const int ip = 14;
        if (frame.Length < ip + 20 || frame[12] != 0x08 || frame[13] != 0x00 || frame[ip + 9] != 6)
        {
            return null;
        }

        var tcp = ip + ((frame[ip] & 0x0f) * 4);
        if (frame.Length < tcp + 20 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(tcp + 2)) != port || (frame[tcp + 13] & 0x12) != 0x02)
        {
            return null;
        }

        var end = Math.Min(frame.Length, tcp + ((frame[tcp + 12] >> 4) * 4));
        for (var option = tcp + 20; option + 1 < end && frame[option] != 0;)
        {
            if (frame[option] == 1)
            {
                option++;
            }
            else if (frame[option] == 2 && option + 3 < end)
            {
                return BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(option + 2));
            }
            else
            {
                option += Math.Max(2, (int)frame[option + 1]);
            }
        }

        return null;
    }

    /// <summary>The VXLAN device the FDB sends <paramref name="mac"/> through.</summary>
    private static string DeviceOf(string fdb, string mac)
        => fdb.Split('\n').Single(l => l.StartsWith(mac + " dev vx-", StringComparison.Ordinal) && l.Contains(" dst ", StringComparison.Ordinal)).Split(' ')[2];
}

/// <summary>
/// Two nodes and network <c>wide</c> (10.74.0.0/23: segment 0 is 10.74.0.0/24 on its bridge, segment 1 10.74.1.0/24 on
/// a segment bridge) with A0 (segment 0) and A1 (segment 1) on node-0, B0 and B1 likewise on node-1, each with a
/// stand-in and a raw socket; network <c>other</c> with one VM on node-1. Cluster blocks are /26 and a node's cursor
/// only moves forward, so to reach segment 1 each node fills its segment-0 block (VMs without stand-ins), and the two
/// other blocks of segment 0 are claimed in etcd for a node that does not exist.
/// </summary>
public sealed class CrossNodeSegmentsFleet : IDisposable
{
    public const string Network = "wide";

    public CrossNodeSegmentsFleet()
    {
        Fleet = new ClusterFleet(nodes: 2);
        try
        {
            Fleet.Define(Network, """{"subnet":"10.74.0.0/23"}""");
            Fleet.Define("other", """{"subnet":"10.75.0.0/24"}""");
            Fleet.Etcd.Put($"/fireline/blocks/{Network}/10.74.0.128/26", "elsewhere");
            Fleet.Etcd.Put($"/fireline/blocks/{Network}/10.74.0.192/26", "elsewhere");
            A0 = Guest(0, Fleet.Create(0, "a0", Network));
            B0 = Guest(1, Fleet.Create(1, "b0", Network));
            Other = Guest(1, Fleet.Create(1, "o1", "other"));
            VmRecord? a1 = null, b1 = null;
            Parallel.Invoke(() => a1 = FirstOfSegment1(0), () => b1 = FirstOfSegment1(1));
            A1 = Guest(0, a1!);
            B1 = Guest(1, b1!);
            Bridge = System.Text.Json.JsonDocument.Parse(Fleet.Network(0, Network)!).RootElement.GetProperty("bridge").GetString()!;
            SegmentBridge = NetworkSegments.Bridge(Bridge, 1);
            Eventually.True(() => new[] { A0, A1 }.All(a => Fleet.Tunnels(1, a.Vm.GuestMac, 0)) && new[] { B0, B1 }.All(b => Fleet.Tunnels(0, b.Vm.GuestMac, 1)),
                $"both nodes programmed each other's VMs; FDB 0:\n{Fleet.Fdb(0)}\nlog 0:\n{Fleet.Daemons[0].Log}");
        }
        catch
        {
            Fleet.Dispose();
            throw;
        }
    }

    public ClusterFleet Fleet { get; }

    public Guest A0 { get; } = null!;

    public Guest A1 { get; } = null!;

    public Guest B0 { get; } = null!;

    public Guest B1 { get; } = null!;

    public Guest Other { get; } = null!;

    /// <summary>The network's own bridge (segment 0), and segment 1's.</summary>
    public string Bridge { get; } = null!;

    public string SegmentBridge { get; } = null!;

    public void Dispose() => Fleet.Dispose();

    /// <summary>Creates VMs on the node until one lands in segment 1 (at most one /26 block and one more).</summary>
    private VmRecord FirstOfSegment1(int node)
    {
        for (var i = 0; i <= BlockSize; i++)
        {
            var vm = Fleet.Create(node, $"f{i}", Network);
            if (vm.Ipv4.Address.StartsWith("10.74.1.", StringComparison.Ordinal))
            {
                return vm;
            }
        }

        throw new InvalidOperationException($"node-{node} gave no address of segment 1");
    }

    private const int BlockSize = 64;

    private Guest Guest(int node, VmRecord vm)
    {
        var standIn = Fleet.Guest(node, vm);
        return new Guest(vm, standIn, Fleet.Own(new RawWire($"/var/run/netns/{standIn.Namespace}", "eth0")));
    }
}
