using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.EndToEndTests;

/// <summary>
/// Real guests on a network holding more VMs than one bridge has ports (1,024): one guest among the first VMs and one
/// among the last reach each other (ICMP and TCP), their gateway and the outside, as on a small network, and a guest of
/// another network reaches neither.
/// </summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class LargeNetworkGuestTests : IDisposable
{
    private const int Vms = 1100;

    private const int Port = 8080;

    private readonly EngineHost _env = new();

    public LargeNetworkGuestTests()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _env.Engine.ApplyNetworks("networks:\n  - name: big\n    subnet: 10.82.0.0/21\n  - name: other\n    subnet: 10.83.0.0/24\n",
            dryRun: false, prune: false);
    }

    [Fact]
    public void Guests_at_both_ends_of_a_network_past_1024_vms_reach_each_other_and_another_network_reaches_neither()
    {
        using var outside = OutsideServer.Start(_env.Host);
        var internet = TestHost.OutsideAddress.ToString();
        var vms = Enumerable.Range(0, Vms)
            .Select(i => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId($"b{i}"), Network = "big" })).ToList();
        Assert.Equal(Vms, vms.Select(vm => vm.Ipv4.Address).Distinct().Count());
        var (first, last) = (vms[0], vms[^1]);
        var stranger = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("stranger"), Network = "other" });

        using var server = QemuGuest.Boot(first, Probe.Steps(Probe.ListenTcp(Port), Probe.Ping(first.Ipv4.Gateway), Probe.Serve));
        Assert.All(server.Results().Values, r => Assert.True(r.Ok, server.Transcript));
        string[] reach = [Probe.Ping(last.Ipv4.Gateway), Probe.Ping(first.Ipv4.Address), Probe.Tcp(first.Ipv4.Address, Port),
            Probe.Ping(internet), Probe.Tcp(internet, OutsideServer.Port)];
        using (var client = QemuGuest.Boot(last, Probe.Steps(reach)))
        {
            Assert.All(client.Results().Values, r => Assert.True(r.Ok, client.Transcript));
        }

        var isolated = Probe.Ping(first.Ipv4.Address, 3);
        using var outsider = QemuGuest.Boot(stranger, Probe.Steps(Probe.Ping(stranger.Ipv4.Gateway), isolated));
        var results = outsider.Results();
        Assert.True(results[Probe.Ping(stranger.Ipv4.Gateway)].Ok, outsider.Transcript);
        Assert.False(results[isolated].Ok, outsider.Transcript);
    }

    public void Dispose() => _env.Dispose();
}
