using System.Net;
using Fireline.IntegrationTests.Security;
using Fireline.Linux;
using Fireline.TestSupport;
using Fireline.TestSupport.Wire;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// The cross-node data path on one fleet (<see cref="CrossNodeFleet"/>): VMs of one network on node-0 and node-1 reach
/// each other through VXLAN as on one host, with the network's policy enforced and isolation and anti-spoofing held
/// across nodes; the underlay accepts VXLAN only from member nodes.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class CrossNodeDatapathTests(CrossNodeFleet fleet) : IClassFixture<CrossNodeFleet>
{
    private const int AllowedPort = 7000;
    private const int DeniedPort = 7001;
    private const ushort SentinelPort = 9999;
    private const int BulkPort = 7002;

    [Fact]
    public void Vms_of_one_network_on_two_nodes_reach_each_other_under_its_policy_and_broadcast_goes_only_to_member_nodes()
    {
        fleet.B1.StandIn.Listen(AllowedPort);
        fleet.B1.StandIn.Listen(DeniedPort);

        Eventually.True(() => fleet.A1.StandIn.Ping(fleet.B1.Vm.Ipv4.Address), "a VM on node-0 pings one of its network on node-1 (ARP, then ICMP)");
        Assert.True(fleet.A1.StandIn.CanConnect(fleet.B1.Vm.Ipv4.Address, AllowedPort), "TCP to the allowed port across nodes");
        Assert.False(fleet.A1.StandIn.CanConnect(fleet.B1.Vm.Ipv4.Address, DeniedPort), "the network's defaultIngress: deny held across nodes");
        Assert.True(fleet.B1.StandIn.Ping(fleet.A1.Vm.Ipv4.Address), "and back");

        var fdb = fleet.Fleet.Fdb(0);
        Assert.Contains($"00:00:00:00:00:00 dev vx-{fleet.Vni} dst {ClusterFleet.UnderlayAddress(1)}", fdb, StringComparison.Ordinal);
        Assert.DoesNotContain($"dst {ClusterFleet.UnderlayAddress(2)}", fdb, StringComparison.Ordinal); // node-2 has no VM in the network
        Assert.Contains($"{fleet.B1.Vm.GuestMac} dev vx-{fleet.Vni} dst {ClusterFleet.UnderlayAddress(1)}", fdb, StringComparison.Ordinal);
    }

    /// <summary>
    /// The stand-ins send full 1460-byte segments (no offloads); the MSS clamp keeps them within the 1500-byte underlay.
    /// (This kernel's path-MTU discovery on bridged VXLAN would also rescue an unclamped transfer, after the first drops.)
    /// </summary>
    [Fact]
    public void Tcp_carries_a_megabyte_across_nodes_over_a_1500_byte_underlay()
    {
        const int bytes = 1_000_000;
        var server = new System.Diagnostics.ProcessStartInfo("nsenter") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { $"--net=/var/run/netns/{fleet.B1.StandIn.Namespace}", "--", "python3", "-c", $$"""
            import socket
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", {{BulkPort}}))
            s.listen(1)
            print("ready", flush=True)
            c, _ = s.accept()
            c.settimeout(20)
            n = 0
            while True:
                d = c.recv(65536)
                if not d:
                    break
                n += len(d)
            print(n, flush=True)
            """ })
        {
            server.ArgumentList.Add(argument);
        }

        using var receiver = System.Diagnostics.Process.Start(server)!;
        Assert.Equal("ready", receiver.StandardOutput.ReadLine());
        Assert.Equal("1500", Ip.Link(fleet.Fleet.Hosts[0].Host.HostNamespaceName, ClusterFleet.UnderlayLink)!.Value.GetProperty("mtu").ToString());

        var sent = fleet.A1.StandIn.Run("python3", "-c",
            $"import socket; c = socket.create_connection(('{fleet.B1.Vm.Ipv4.Address}', {BulkPort}), timeout=10); c.sendall(b'x' * {bytes}); c.close()");

        var received = receiver.StandardOutput.ReadLine();
        receiver.WaitForExit();
        receiver.StandardOutput.Dispose();

        Assert.True(sent.ExitCode == 0, sent.StandardError);
        Assert.Equal(bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), received);
    }

    [Fact]
    public void A_vm_of_another_network_on_the_other_node_is_not_reached()
    {
        var attack = RawFrames.Marker();
        var sentinel = RawFrames.Marker();

        Assert.False(fleet.A1.StandIn.Ping(fleet.Other.Vm.Ipv4.Address), "a VM pinged one of another network on another node");
        fleet.A1.Wire.Send(RawFrames.Udp(fleet.Other.Mac, fleet.A1.Mac, fleet.A1.Ipv4, fleet.Other.Ipv4, 40000, SentinelPort, attack));
        fleet.A1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, fleet.A1.Mac, fleet.A1.Ipv4, fleet.B1.Ipv4, 40000, SentinelPort, sentinel));

        fleet.B1.Wire.WaitFor(sentinel);
        Assert.False(fleet.Other.Wire.Seen(attack), "a frame addressed straight to another network's VM crossed nodes");
    }

    [Fact]
    public void A_frame_a_guest_sends_as_another_vm_does_not_arrive_on_the_other_node()
    {
        var spoofed = RawFrames.Marker();
        var ipOnly = RawFrames.Marker();
        var sentinel = RawFrames.Marker();

        fleet.A1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, fleet.A2.Mac, fleet.A2.Ipv4, fleet.B1.Ipv4, 40000, SentinelPort, spoofed));
        fleet.A1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, fleet.A1.Mac, fleet.A2.Ipv4, fleet.B1.Ipv4, 40000, SentinelPort, ipOnly));
        fleet.A1.Wire.Send(RawFrames.Udp(fleet.B1.Mac, fleet.A1.Mac, fleet.A1.Ipv4, fleet.B1.Ipv4, 40000, SentinelPort, sentinel));

        fleet.B1.Wire.WaitFor(sentinel);
        Assert.False(fleet.B1.Wire.Seen(spoofed), "a frame with another VM's MAC and address arrived on the other node");
        Assert.False(fleet.B1.Wire.Seen(ipOnly), "a frame with another VM's address arrived on the other node");
    }

    [Fact]
    public void Vxlan_from_an_underlay_address_that_is_not_a_member_node_is_dropped()
    {
        using var underlay = new RawWire($"/var/run/netns/{fleet.Fleet.Underlay}", "u1");
        var nodeMac = MacAddress.Parse(Ip.Link(fleet.Fleet.Hosts[1].Host.HostNamespaceName, ClusterFleet.UnderlayLink)!.Value.GetProperty("address").GetString()!);
        var forged = RawFrames.Marker();
        var member = RawFrames.Marker();

        underlay.Send(Vxlan(nodeMac, IPAddress.Parse("192.0.2.99"), forged));
        underlay.Send(Vxlan(nodeMac, IPAddress.Parse(ClusterFleet.UnderlayAddress(0)), member));

        fleet.B1.Wire.WaitFor(member);
        Assert.False(fleet.B1.Wire.Seen(forged), "a VXLAN packet from a non-member address was delivered");
    }

    [Fact]
    public void A_deleted_vm_leaves_no_entry_on_any_node()
    {
        var gone = fleet.Fleet.Create(1, "gone", CrossNodeFleet.Network);
        Eventually.True(() => fleet.Fleet.Tunnels(0, gone.GuestMac, 1), "node-0 programs the new VM");

        Assert.Equal(200, fleet.Fleet.Daemons[1].Send("DELETE", $"/v1/vms/{gone.VmId}").Status);

        Eventually.True(() => !fleet.Fleet.Fdb(0).Contains(gone.GuestMac, StringComparison.Ordinal) &&
                              !fleet.Fleet.PermanentNeighbours(0).Contains(gone.Ipv4.Address + " ", StringComparison.Ordinal),
            $"node-0 removed the deleted VM's FDB and neighbour entries; FDB:\n{fleet.Fleet.Fdb(0)}\nneighbours:\n{fleet.Fleet.PermanentNeighbours(0)}\nlog:\n{fleet.Fleet.Daemons[0].Log}\nlog 1:\n{fleet.Fleet.Daemons[1].Log}");
        Assert.DoesNotContain(gone.GuestMac, fleet.Fleet.Fdb(2), StringComparison.Ordinal);
    }

    /// <summary>An outer Ethernet/IPv4/UDP/VXLAN packet to node-1 carrying A1's frame to B1, as a member node would send it.</summary>
    private byte[] Vxlan(MacAddress nodeMac, IPAddress outerSource, byte[] marker)
    {
        var inner = RawFrames.Udp(fleet.B1.Mac, fleet.A1.Mac, fleet.A1.Ipv4, fleet.B1.Ipv4, 40000, SentinelPort, marker);
        return RawFrames.Vxlan(nodeMac, MacAddress.Parse("02:00:00:00:00:99"), outerSource, IPAddress.Parse(ClusterFleet.UnderlayAddress(1)), fleet.Vni, inner);
    }
}

/// <summary>
/// One fleet for <see cref="CrossNodeDatapathTests"/>: network <c>tenant</c> (ingress denied by default; ICMP, TCP 7000 and 7002
/// and UDP 9999 allowed) with A1 and A2 on node-0 and B1 on node-1; network <c>other</c> with one VM on node-1. Each VM
/// has a stand-in and a raw socket beside it.
/// </summary>
public sealed class CrossNodeFleet : IDisposable
{
    public const string Network = "tenant";

    public CrossNodeFleet()
    {
        Fleet = new ClusterFleet();
        try
        {
            Fleet.Define(Network, """
                {"subnet":"10.70.0.0/22","defaultIngress":"deny","policies":[
                  {"name":"icmp","direction":"ingress","protocol":"icmp","action":"allow"},
                  {"name":"web","direction":"ingress","protocol":"tcp","port":7000,"action":"allow"},
                  {"name":"bulk","direction":"ingress","protocol":"tcp","port":7002,"action":"allow"},
                  {"name":"sentinel","direction":"ingress","protocol":"udp","port":9999,"action":"allow"}]}
                """);
            Fleet.Define("other", """{"subnet":"10.71.0.0/24"}""");
            A1 = Guest(0, "a1", Network);
            A2 = Guest(0, "a2", Network);
            B1 = Guest(1, "b1", Network);
            Other = Guest(1, "o1", "other");
            Eventually.True(() => Fleet.VxlanDevice(0) is not null && Fleet.Tunnels(0, B1.Vm.GuestMac, 1) && Fleet.Tunnels(1, A1.Vm.GuestMac, 0) && Fleet.Tunnels(1, A2.Vm.GuestMac, 0),
                "both nodes programmed each other's VMs");
            Vni = int.Parse(Fleet.VxlanDevice(0)!["vx-".Length..], System.Globalization.CultureInfo.InvariantCulture);
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

    public Guest Other { get; } = null!;

    public int Vni { get; }

    public void Dispose() => Fleet.Dispose();

    private Guest Guest(int node, string name, string network)
    {
        var vm = Fleet.Create(node, name, network);
        var standIn = Fleet.Guest(node, vm);
        return new Guest(vm, standIn, Fleet.Own(new RawWire($"/var/run/netns/{standIn.Namespace}", "eth0")));
    }
}
