using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.EndToEndTests;

/// <summary>Guests on one network reach each other, and the outside through the host's NAT.</summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class GuestReachabilityTests : IDisposable
{
    private readonly EngineHost _env = new();

    public GuestReachabilityTests() => _env.Engine.InitHost(new HostInitRequest());

    [Fact]
    public void Two_guests_on_one_network_reach_each_other_over_icmp_tcp_and_udp()
    {
        var a = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("a") });
        var b = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("b") });
        using var server = QemuGuest.Boot(b, Probe.Steps(Probe.ListenTcp(7000), Probe.ListenUdp(7001), Probe.SinkTcp(7002), Probe.Serve));
        // The client boots once the server listens: however slow a boot (a loaded machine), nothing races.
        Assert.All(server.Results().Values, r => Assert.True(r.Ok, server.Transcript));
        string[] steps =
        [
            Probe.Ping(b.Ipv4.Address), Probe.Tcp(b.Ipv4.Address, 7000), Probe.Udp(b.Ipv4.Address, 7001),
            Probe.SendTcp(b.Ipv4.Address, 7002, 2),
        ];
        using var client = QemuGuest.Boot(a, Probe.Steps(steps));

        var results = client.Results();

        Assert.All(steps, step => Assert.True(results[step].Ok, client.Transcript + "\n-- server:\n" + server.Transcript));
        Assert.Equal($"fireline {b.Ipv4.Address}", results[Probe.Tcp(b.Ipv4.Address, 7000)].Detail);
        Assert.Equal($"fireline {a.Ipv4.Address}", results[Probe.Udp(b.Ipv4.Address, 7001)].Detail);
        // The server saw the client's own address, unchanged between guests of one network.
        server.WaitForLine(l => l.StartsWith($"RECV udp:7001 {a.Ipv4.Address}:", StringComparison.Ordinal), QemuGuest.DefaultTimeout);
        // The sender's two seconds of zeros arrived over the bridge (how fast is the rate tests' and benchmarks' business).
        Assert.True(server.ReceivedTcpBytes(7002) > 0, server.Transcript);
    }

    [Fact]
    public void Guest_reaches_the_outside_through_nat_with_the_host_uplink_address()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("n") });
        using var outside = OutsideServer.Start(_env.Host);
        var internet = TestHost.OutsideAddress.ToString();
        string[] steps = [Probe.Ping(internet), Probe.Tcp(internet, OutsideServer.Port)];

        using var guest = QemuGuest.Boot(vm, Probe.Steps(steps));

        var results = guest.Results();
        Assert.All(steps, step => Assert.True(results[step].Ok, guest.Transcript));
        Assert.Equal(TestHost.HostUplinkAddress.ToString(), outside.FirstPeer());
    }

    public void Dispose() => _env.Dispose();
}
