using System.Net;
using Fireline.Addressing;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.EndToEndTests;

/// <summary>A guest gets its address from what Fireline hands out: the <c>ip=</c> boot argument, or else its MAC.</summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class GuestAddressingTests : IDisposable
{
    private readonly EngineHost _env = new();

    public GuestAddressingTests() => _env.Engine.InitHost(new HostInitRequest());

    [Fact]
    public void Guest_configures_eth0_from_its_boot_arguments_and_reaches_its_gateway()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("a") });

        using var guest = QemuGuest.Boot(vm, Probe.Ping(vm.Ipv4.Gateway));

        Assert.Equal(new GuestNetwork("eth0", vm.Ipv4.Address, vm.Ipv4.PrefixLength, vm.Ipv4.Gateway, vm.GuestMac, "ip-arg", "none"),
            guest.Network());
        Assert.True(guest.Results()[Probe.Ping(vm.Ipv4.Gateway)].Ok, guest.Transcript);
        // The host saw the guest as the record says: its address answers from its MAC.
        var neighbour = Ip.Neighbours(_env.Host.HostNamespaceName).Single(n => n.GetProperty("dst").GetString() == vm.Ipv4.Address);
        Assert.Equal(vm.GuestMac, neighbour.GetProperty("lladdr").GetString());
    }

    [Fact]
    public void Guest_takes_dns_servers_from_the_boot_argument()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("d") });
        // What Fireline hands out on a network with DNS servers (no public way to configure them yet).
        var bootArgs = VmAddressing.BootArgs(Ipv4Network.ToUInt32(IPAddress.Parse(vm.Ipv4.Address)),
            Ipv4Network.Parse(HostInitRequest.DefaultSubnet), ["192.0.2.53", "192.0.2.54"]);

        using var guest = new QemuGuest(vm.NetnsPath, vm.TapDevice, vm.GuestMac, bootArgs, Probe.Ping(vm.Ipv4.Gateway));

        Assert.Equal(new GuestNetwork("eth0", vm.Ipv4.Address, vm.Ipv4.PrefixLength, vm.Ipv4.Gateway, vm.GuestMac, "ip-arg", "192.0.2.53,192.0.2.54"),
            guest.Network());
        Assert.True(guest.Results()[Probe.Ping(vm.Ipv4.Gateway)].Ok, guest.Transcript);
    }

    [Fact]
    public void Guest_booted_without_ip_argument_derives_its_address_from_its_mac()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("m") });

        using var guest = new QemuGuest(vm.NetnsPath, vm.TapDevice, vm.GuestMac, bootArgs: "", Probe.Ping(vm.Ipv4.Gateway));

        Assert.Equal(new GuestNetwork("eth0", vm.Ipv4.Address, vm.Ipv4.PrefixLength, vm.Ipv4.Gateway, vm.GuestMac, "mac", "none"), guest.Network());
        Assert.True(guest.Results()[Probe.Ping(vm.Ipv4.Gateway)].Ok, guest.Transcript);
    }

    public void Dispose() => _env.Dispose();
}
