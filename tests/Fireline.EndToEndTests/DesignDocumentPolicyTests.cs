using Fireline.Policy;
using Fireline.TestSupport;

namespace Fireline.EndToEndTests;

/// <summary>
/// The design document's policies enforced on real guests: who reaches whom inside a network and across
/// networks, the gateway, the outside through NAT, and the outside in through port forwards. Denied steps are
/// short (2-3 s): each sits next to an allowed step towards the same guest that proves the guest answers.
/// </summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class DesignDocumentPolicyTests(DesignDocumentGuests guests) : IClassFixture<DesignDocumentGuests>
{
    [Fact]
    public async Task Peers_reach_allowed_ports_only_other_networks_not_at_all_and_the_outside_through_nat()
    {
        guests.AssertBooted();
        var a1 = guests.A1.Ipv4.Address;
        var internet = TestHost.OutsideAddress.ToString();
        using var server = OutsideServer.Start(guests.Env.Host);
        var httpFromPeer = Probe.Tcp(a1, 80);
        var sshFromPeer = Probe.Tcp(a1, 22, 2);
        var pingFromPeer = Probe.Ping(a1, 3);
        var httpFromOtherNetwork = Probe.Tcp(a1, 80, 2);
        var sshToOtherNetwork = Probe.Tcp(guests.B1.Ipv4.Address, 22, 2);
        var gateway = Probe.Ping(guests.A1.Ipv4.Gateway);
        var outside = Probe.Tcp(internet, OutsideServer.Port);

        // The guests probe at the same time: the denied steps wait out their seconds side by side.
        var runA2 = Task.Run(() => guests.GuestA2.Run(httpFromPeer, sshFromPeer, pingFromPeer));
        var runB1 = Task.Run(() => guests.GuestB1.Run(httpFromOtherNetwork));
        var runA1 = Task.Run(() => guests.GuestA1.Run(gateway, outside, sshToOtherNetwork));
        var fromA2 = await runA2;
        var fromB1 = await runB1;
        var fromA1 = await runA1;

        Expect(guests.GuestA2, fromA2, httpFromPeer, ok: true); // allow-http
        Assert.Equal($"fireline {a1}", fromA2[httpFromPeer].Detail);
        Expect(guests.GuestA2, fromA2, sshFromPeer, ok: false); // deny-all-else, though a1 listens on 22
        Expect(guests.GuestA2, fromA2, pingFromPeer, ok: false); // deny-all-else
        Expect(guests.GuestB1, fromB1, httpFromOtherNetwork, ok: false); // isolation, though allow-http matches any source
        // Isolation both ways: customer-b-dev's default ingress (allow) would let this in, b1 listens on 22.
        Expect(guests.GuestA1, fromA1, sshToOtherNetwork, ok: false);
        Expect(guests.GuestA1, fromA1, gateway, ok: true); // host protection lets ICMP to the own gateway through
        // The server's answers came back in although deny-all-else drops every new inbound connection: replies
        // of the guest's own flow pass, and the server saw the host's uplink address (NAT).
        Expect(guests.GuestA1, fromA1, outside, ok: true);
        Assert.Equal(TestHost.HostUplinkAddress.ToString(), server.FirstPeer());
    }

    [Fact]
    public void The_outside_reaches_an_allowed_port_through_a_forward_and_not_a_denied_one()
    {
        guests.AssertBooted();
        guests.Env.Engine.ForwardPort(guests.A1.VmId, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 8080, VmPort = 80 });
        guests.Env.Engine.ForwardPort(guests.A1.VmId, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 2222, VmPort = 22 });
        var outside = guests.Env.Host.OutsideNamespaceName;
        var uplink = TestHost.HostUplinkAddress.ToString();

        Assert.Equal($"fireline {guests.A1.Ipv4.Address}", Probes.Answer(outside, uplink, 8080));
        // a1 listens on 22 (its boot checked it), but deny-all-else drops the forwarded connection: no answer
        // at all, where a host port without a forward is refused.
        Assert.Equal("timeout", Probes.Answer(outside, uplink, 2222));
        Assert.Equal("refused", Probes.Answer(outside, uplink, 2223));
    }

    private static void Expect(QemuGuest guest, IReadOnlyDictionary<string, ProbeResult> results, string step, bool ok)
    {
        var result = results[step];
        Assert.True(result.Ok == ok, $"{step}: expected {(ok ? "OK" : "FAIL")}, got {(result.Ok ? "OK" : "FAIL")} {result.Detail}\n{guest.Transcript}");
    }
}
