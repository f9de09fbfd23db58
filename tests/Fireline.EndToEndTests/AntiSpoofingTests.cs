using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.EndToEndTests;

/// <summary>
/// A guest that sends with an address or a MAC not its own reaches nothing: its frames leave its TAP (the probe
/// really sent them) but arrive neither at a peer guest's TAP nor at the host's bridge (the gateway), while the
/// same pings without spoofing, just before and after, arrive and are answered.
/// </summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class AntiSpoofingTests : IDisposable
{
    // In the default network's subnet, leased to no VM.
    private const string ForeignIp = "10.100.99.99";
    private const string ForeignMac = "06:00:0a:64:63:63";

    private readonly EngineHost _env = new();

    public AntiSpoofingTests() => _env.Engine.InitHost(new HostInitRequest());

    [Fact]
    public void A_guest_that_sends_from_an_address_or_mac_not_its_own_reaches_neither_a_peer_nor_the_gateway()
    {
        var spoofer = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("s") });
        var peer = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("p") });
        var peerIp = peer.Ipv4.Address;
        var gateway = spoofer.Ipv4.Gateway;
        using var peerGuest = QemuGuest.Boot(peer, Probe.Serve);
        peerGuest.Results(); // up before the spoofer pings it, however slow its boot
        // The first pings also fill the spoofer's neighbour cache, so a spoofed IPv4 send needs no ARP of its own.
        using var guest = QemuGuest.Boot(spoofer, Probe.Steps(Probe.Ping(peerIp), Probe.Ping(gateway), Probe.Serve));
        Assert.All(guest.Results().Values, r => Assert.True(r.Ok, guest.Transcript + "\n-- peer:\n" + peerGuest.Transcript));
        using var sent = new FrameCapture(spoofer.NetnsPath, spoofer.TapDevice);
        using var atPeer = new FrameCapture(peer.NetnsPath, peer.TapDevice);
        using var atHost = new FrameCapture(_env.Host.HostNamespacePath, _env.Engine.GetNetwork(HostSetup.DefaultNetwork).Bridge);

        string[] spoofed = [Probe.SpoofIp(ForeignIp, peerIp), Probe.SpoofIp(ForeignIp, gateway), Probe.SpoofMac(ForeignMac, peerIp), Probe.SpoofMac(ForeignMac, gateway)];
        string[] itself = [Probe.Ping(peerIp), Probe.Ping(gateway)];
        var results = guest.Run([.. spoofed, .. itself]);

        Assert.All(spoofed, step => Assert.False(results[step].Ok, $"{step} was answered\n{guest.Transcript}"));
        Assert.All(itself, step => Assert.True(results[step].Ok, $"{step} failed after the spoofing\n{guest.Transcript}"));
        // Capture lines are "<source MAC> <source IP> <destination IP> <protocol|arp>". The guest's own pings
        // came after the spoofed sends: once a capture shows them, it would show the spoofed frames too.
        var own = $"{spoofer.GuestMac} {spoofer.Ipv4.Address}";
        Eventually.True(() => atPeer.Frames.Contains($"{own} {peerIp} 1"), "the peer's TAP shows the guest's own ping");
        Eventually.True(() => atHost.Frames.Contains($"{own} {gateway} 1"), "the bridge shows the guest's own ping");
        Eventually.True(() => sent.Frames.Contains($"{own} {gateway} 1"), "the guest's TAP shows its own ping");
        foreach (var target in new[] { peerIp, gateway })
        {
            // Sent: IPv4 from the foreign address; from the foreign MAC at least its ARP request (a MAC change
            // empties the guest's neighbour cache).
            Assert.Contains(sent.Frames, f => f.StartsWith($"{spoofer.GuestMac} {ForeignIp} {target} ", StringComparison.Ordinal));
            Assert.Contains(sent.Frames, f => f.StartsWith($"{ForeignMac} {spoofer.Ipv4.Address} {target} ", StringComparison.Ordinal));
        }

        foreach (var (where, capture) in new[] { ("the peer's TAP", atPeer), ("the host's bridge", atHost) })
        {
            // Neither a spoofed frame, nor an answer to one, nor an ARP for the foreign address.
            var arrived = capture.Frames.Select(f => f.Split(' ')).Where(f => f[0] == ForeignMac || f[1] == ForeignIp || f[2] == ForeignIp)
                .Select(f => string.Join(' ', f)).ToList();
            Assert.True(arrived.Count == 0, $"spoofed frames reached {where}:\n{string.Join('\n', arrived)}");
        }
    }

    public void Dispose() => _env.Dispose();
}
