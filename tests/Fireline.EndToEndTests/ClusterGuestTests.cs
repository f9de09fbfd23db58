using Fireline.TestSupport;

namespace Fireline.EndToEndTests;

/// <summary>
/// Real guests on two nodes of a fleet (etcd, an underlay, a daemon per node): guests of one network reach each other
/// across nodes over VXLAN (ICMP and TCP), the network's policy holds across nodes (a port it does not allow stays
/// closed), a guest of another network reaches neither, and frames a guest sends from an address or MAC not its own do
/// not arrive at the remote guest's TAP.
/// </summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class ClusterGuestTests : IDisposable
{
    private const string Network = "tenant";
    private const int Allowed = 8080;
    private const int Denied = 9090;

    // In the tenant's subnet, leased to no VM.
    private const string ForeignIp = "10.72.0.99";
    private const string ForeignMac = "06:00:0a:48:00:63";

    private readonly ClusterFleet _fleet = new(nodes: 2);

    [Fact]
    public void Guests_on_two_nodes_reach_each_other_within_their_policy_and_no_one_else_nor_spoofed_frames_cross()
    {
        _fleet.Define(Network, $$"""
            {"subnet":"10.72.0.0/24","defaultIngress":"deny","policies":[
              {"name":"icmp","direction":"ingress","protocol":"icmp","action":"allow"},
              {"name":"web","direction":"ingress","protocol":"tcp","port":{{Allowed}},"action":"allow"}]}
            """);
        _fleet.Define("other", """{"subnet":"10.73.0.0/24"}""");
        var a = _fleet.Create(0, "ga", Network);
        var b = _fleet.Create(1, "gb", Network);
        var stranger = _fleet.Create(1, "go", "other");
        Eventually.True(() => _fleet.Tunnels(0, b.GuestMac, 1) && _fleet.Tunnels(1, a.GuestMac, 0), "both nodes programmed each other's VM");

        using var server = QemuGuest.Boot(a, Probe.Steps(Probe.ListenTcp(Allowed), Probe.ListenTcp(Denied), Probe.Ping(a.Ipv4.Gateway), Probe.Serve));
        Assert.All(server.Results().Values, r => Assert.True(r.Ok, server.Transcript));
        var closed = Probe.Tcp(a.Ipv4.Address, Denied, 3);
        using var client = QemuGuest.Boot(b, Probe.Steps(Probe.Ping(a.Ipv4.Address), Probe.Tcp(a.Ipv4.Address, Allowed), closed, Probe.Serve));
        var results = client.Results();
        Assert.True(results[Probe.Ping(a.Ipv4.Address)].Ok, client.Transcript + "\n-- server:\n" + server.Transcript);
        Assert.True(results[Probe.Tcp(a.Ipv4.Address, Allowed)].Ok, client.Transcript + "\n-- server:\n" + server.Transcript);
        Assert.False(results[closed].Ok, $"a port the policy does not allow was reached across nodes\n{client.Transcript}");

        using (var atServer = new FrameCapture(a.NetnsPath, a.TapDevice))
        {
            string[] spoofed = [Probe.SpoofIp(ForeignIp, a.Ipv4.Address), Probe.SpoofMac(ForeignMac, a.Ipv4.Address)];
            var itself = Probe.Ping(a.Ipv4.Address);
            var after = client.Run([.. spoofed, itself]);
            Assert.All(spoofed, step => Assert.False(after[step].Ok, $"{step} was answered across nodes\n{client.Transcript}"));
            Assert.True(after[itself].Ok, client.Transcript);
            // The guest's own ping came after the spoofed sends: once the remote TAP shows it, it would show them too.
            Eventually.True(() => atServer.Frames.Contains($"{b.GuestMac} {b.Ipv4.Address} {a.Ipv4.Address} 1"), "the remote TAP shows the guest's own ping");
            var arrived = atServer.Frames.Select(f => f.Split(' ')).Where(f => f[0] == ForeignMac || f[1] == ForeignIp || f[2] == ForeignIp)
                .Select(f => string.Join(' ', f)).ToList();
            Assert.True(arrived.Count == 0, $"spoofed frames reached the remote guest's TAP:\n{string.Join('\n', arrived)}");
        }

        var isolated = Probe.Ping(a.Ipv4.Address, 3);
        using var outsider = QemuGuest.Boot(stranger, Probe.Steps(Probe.Ping(stranger.Ipv4.Gateway), isolated));
        var seen = outsider.Results();
        Assert.True(seen[Probe.Ping(stranger.Ipv4.Gateway)].Ok, outsider.Transcript);
        Assert.False(seen[isolated].Ok, $"a guest of another network reached the tenant's guest on another node\n{outsider.Transcript}");
    }

    public void Dispose() => _fleet.Dispose();
}
