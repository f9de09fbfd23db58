using System.Net;
using System.Text.Json;
using Fireline.Linux;
using Fireline.TestSupport;
using Fireline.TestSupport.Wire;

namespace Fireline.EndToEndTests;

/// <summary>
/// VLANs on a kernel that has 802.1Q, which this machine's lacks: Debian's kernel boots under QEMU as a test host
/// running Fireline's NativeAOT binary (guest/build-host.sh), its eth0 the uplink and its eth1 a probe NIC that
/// fireline-tap-relay joins to the VM's TAP. This side holds the other ends as TAPs in a test namespace and reads
/// and writes raw frames there: on the probe TAP it is the VM's guest, on the uplink TAP the physical network.
/// </summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class VlanTestHostTests
{
    private const int Vlan = 100;
    private const string Uplink = "flvup0";
    private const string ProbeNic = "flvpr0";
    private static readonly IPAddress VmIp = IPAddress.Parse("10.50.0.2");
    private static readonly MacAddress VmMac = MacAddress.Parse("06:00:0a:32:00:02");

    // A machine on VLAN 100 of the physical network.
    private static readonly IPAddress Neighbour = IPAddress.Parse("10.50.0.200");
    private static readonly MacAddress NeighbourMac = MacAddress.Parse("02:00:00:00:00:c8");

    [Fact]
    public void A_vlan_network_leaves_the_uplink_tagged_takes_only_its_own_tag_in_and_is_repaired_and_removed_whole()
    {
        GuestImage.BuildHost(PublishedFireline());
        using var outer = new TestHost();
        foreach (var tap in new[] { Uplink, ProbeNic })
        {
            Ip.Run("-n", outer.HostNamespaceName, "tuntap", "add", tap, "mode", "tap");
            Ip.Run("-n", outer.HostNamespaceName, "link", "set", tap, "up");
        }

        using var host = QemuGuest.BootTestHost(outer.HostNamespacePath, [(Uplink, "52:54:00:12:34:01"), (ProbeNic, "52:54:00:12:34:02")]);
        using var physical = new RawWire(outer.HostNamespacePath, Uplink);
        using var guest = new RawWire(outer.HostNamespacePath, ProbeNic);

        // An address on the uplink gives it a route, which doctor checks; NAT is off, as a bridged VLAN wants.
        Run(host, "ip addr add 192.0.2.2/24 dev eth0 && fireline host init --uplink eth0 --no-nat");
        // Its policy holds for the machines on the VLAN too: they reach the VM, but not its discard port.
        Run(host, $"printf 'networks:\\n  - name: tagged\\n    subnet: 10.50.0.0/24\\n    vlan: {Vlan}\\n    policies:\\n" +
            "      - name: no-discard\\n        direction: ingress\\n        protocol: udp\\n        port: 9\\n        action: deny\\n' >/tmp/tagged.yaml && fireline network apply -f /tmp/tagged.yaml");
        using (var vm = JsonDocument.Parse(string.Join('\n', Run(host, "fireline vm create vm1 --network tagged -o json"))))
        {
            Assert.Equal((VmIp.ToString(), VmMac.ToString()), (vm.RootElement.GetProperty("ipv4").GetProperty("address").GetString(), vm.RootElement.GetProperty("guestMac").GetString()));
        }

        // Two networks never share a VLAN id: refused, naming the field, nothing changed.
        var clash = host.Execute($"printf 'networks:\\n  - name: other\\n    subnet: 10.60.0.0/24\\n    vlan: {Vlan}\\n' >/tmp/other.yaml && fireline network apply -f /tmp/other.yaml -o json");
        Assert.NotEqual(0, clash.ExitCode);
        Assert.Contains("\"field\":\"networks[0].vlan\"", string.Concat(clash.Output).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("network 'tagged'", string.Concat(clash.Output), StringComparison.Ordinal);

        // A network whose gateway is a router on its VLAN, outside the host: its own id, and no address on its bridge.
        Run(host, $"printf 'networks:\\n  - name: outside\\n    subnet: 10.70.0.0/24\\n    vlan: {Vlan + 1}\\n    gateway: outside\\n' >/tmp/outside.yaml && fireline network apply -f /tmp/outside.yaml");
        Assert.Contains($"vlan{Vlan + 1}", string.Concat(Run(host, "ls /sys/class/net")), StringComparison.Ordinal);
        Assert.DoesNotContain("inet ", string.Join('\n', Run(host, "ip -4 addr show dev br-outside")), StringComparison.Ordinal);

        // A VLAN device deleted behind Fireline's back: doctor finds it, reconcile restores it.
        Run(host, $"vconfig rem vlan{Vlan}"); // busybox's ip deletes no link: vconfig does, through 8021q's own ioctl
        var broken = host.Execute("fireline doctor -o json");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains($"VLAN device vlan{Vlan} is missing", string.Concat(broken.Output), StringComparison.Ordinal);
        Assert.Contains($"restored VLAN device vlan{Vlan}", string.Concat(Run(host, "fireline reconcile -o json")), StringComparison.Ordinal);
        var repaired = string.Concat(host.Execute("fireline doctor -o json").Output);
        Assert.Contains($"vlan{Vlan} carries the network tagged with 802.1Q id {Vlan} on eth0", repaired, StringComparison.Ordinal);
        Assert.Contains($"is outside the host (a router on VLAN {Vlan + 1})", repaired, StringComparison.Ordinal);

        // From here the test is the VM's guest (on the probe NIC) and the physical network (on the uplink).
        host.Execute("fireline-tap-relay /var/run/netns/vm-vm1 tap0 eth1 >/dev/console 2>&1 &");
        host.WaitForLine(l => l == "RELAY READY", QemuGuest.DefaultTimeout);

        // Out: a spoofed source never leaves; the VM's own datagram leaves the uplink tagged with the network's id.
        var spoofed = RawFrames.Marker();
        var sent = RawFrames.Marker();
        guest.Send(RawFrames.Udp(NeighbourMac, VmMac, IPAddress.Parse("10.50.0.77"), Neighbour, 40000, 7, spoofed));
        guest.Send(RawFrames.Udp(NeighbourMac, VmMac, VmIp, Neighbour, 40000, 7, sent));
        physical.WaitFor(sent);
        Assert.True(physical.Seen(f => f.AsSpan().IndexOf(sent) >= 0 && RawFrames.VlanOf(f) == Vlan), $"the datagram left untagged or with another tag\n{host.Transcript}");
        Assert.False(physical.Seen(f => f.AsSpan().IndexOf(sent) >= 0 && RawFrames.VlanOf(f) != Vlan), "the datagram also left without its tag");
        Assert.False(physical.Seen(spoofed), "a frame from an address not the VM's left the uplink");

        // In: a reply tagged with the network's id reaches the VM; the same with another tag, or untagged, does not,
        // nor a datagram to the port its policy denies.
        var otherTag = RawFrames.Marker();
        var untagged = RawFrames.Marker();
        var denied = RawFrames.Marker();
        var reply = RawFrames.Marker();
        physical.Send(RawFrames.Tagged(RawFrames.Udp(VmMac, NeighbourMac, Neighbour, VmIp, 7, 40000, otherTag), Vlan + 100));
        physical.Send(RawFrames.Udp(VmMac, NeighbourMac, Neighbour, VmIp, 7, 40000, untagged));
        physical.Send(RawFrames.Tagged(RawFrames.Udp(VmMac, NeighbourMac, Neighbour, VmIp, 7, 9, denied), Vlan));
        physical.Send(RawFrames.Tagged(RawFrames.Udp(VmMac, NeighbourMac, Neighbour, VmIp, 7, 40000, reply), Vlan));
        guest.WaitFor(reply);
        Assert.False(guest.Seen(otherTag), "a frame tagged with another VLAN id reached the VM");
        Assert.False(guest.Seen(untagged), "an untagged frame reached the VM");
        Assert.False(guest.Seen(denied), "a datagram to the port the network's policy denies reached the VM");

        // Removed whole with the network.
        Run(host, "fireline vm delete vm1 && fireline network delete tagged && fireline network delete outside");
        var links = Run(host, "ls /sys/class/net");
        Assert.DoesNotContain(links, l => l.StartsWith("vlan", StringComparison.Ordinal) || l is "br-tagged" or "br-outside");
    }

    /// <summary>Runs a command on the test host that must succeed; returns what it printed.</summary>
    private static IReadOnlyList<string> Run(QemuGuest host, string command)
    {
        var (exitCode, output) = host.Execute(command);
        Assert.True(exitCode == 0, $"{command} exited {exitCode}:\n{string.Join('\n', output)}\n-- test host console:\n{host.Transcript}");
        return output;
    }

    /// <summary>The NativeAOT <c>fireline</c> the test host runs: FIRELINE_CLI (scripts/test.sh sets it), else scripts/publish.sh's output.</summary>
    private static string PublishedFireline()
        => Environment.GetEnvironmentVariable("FIRELINE_CLI") is { Length: > 0 } configured ? configured : Path.Combine(Repository.Root, "artifacts", "fireline", "fireline");
}
