using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.EndToEndTests;

/// <summary>
/// The probe steps that policy tests rely on do what they say on the wire, seen on the VM's TAP before anything
/// in its namespace can filter them: so a spoofed send that gets no answer was really sent.
/// </summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class GuestProbeTests : IDisposable
{
    private readonly EngineHost _env = new();

    public GuestProbeTests() => _env.Engine.InitHost(new HostInitRequest());

    [Fact]
    public void Spoof_steps_send_from_a_foreign_address_and_a_foreign_mac()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("s") });
        using var capture = new FrameCapture(vm.NetnsPath, vm.TapDevice);
        const string foreignIp = "10.100.99.99";
        const string foreignMac = "06:00:0a:64:63:63";
        string[] steps = [Probe.SpoofIp(foreignIp, vm.Ipv4.Gateway), Probe.SpoofMac(foreignMac, vm.Ipv4.Gateway), Probe.Ping(vm.Ipv4.Gateway)];

        using var guest = QemuGuest.Boot(vm, Probe.Steps(steps));

        var results = guest.Results();
        Assert.True(results[Probe.Ping(vm.Ipv4.Gateway)].Ok, guest.Transcript); // the guest is itself again afterwards
        var frames = capture.Frames;
        // ICMP (protocol 1) echo requests to the gateway: one from the foreign address, one from the foreign MAC.
        Assert.Contains($"{vm.GuestMac} {foreignIp} {vm.Ipv4.Gateway} 1", frames);
        Assert.Contains($"{foreignMac} {vm.Ipv4.Address} {vm.Ipv4.Gateway} 1", frames);
    }

    public void Dispose() => _env.Dispose();
}
