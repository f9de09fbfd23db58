using Fireline.Errors;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Engine;

[Trait("Category", Categories.Integration)]
public sealed class AddressingTests : IDisposable
{
    private readonly EngineHost _env = new();

    [Fact]
    public void A_full_subnet_is_a_clear_error_naming_the_network_and_its_size()
    {
        _env.Engine.InitHost(new HostInitRequest { Subnet = "10.200.0.0/29" }); // .2-.6: five VMs
        var addresses = Enumerable.Range(0, 5).Select(i => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId($"v{i}") }).Ipv4.Address).ToList();

        var error = Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("v5") }));

        Assert.Equal(["10.200.0.2", "10.200.0.3", "10.200.0.4", "10.200.0.5", "10.200.0.6"], addresses);
        Assert.Equal("subnet-exhausted", error.Code);
        Assert.Contains("'default'", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.200.0.0/29", error.Message, StringComparison.Ordinal);
        Assert.Contains("all 5", error.Message, StringComparison.Ordinal);
        Assert.False(Ip.NamespaceExists($"vm-{_env.Host.VmId("v5")}"));
    }

    [Fact]
    public void A_released_address_is_reused_last_and_survives_a_restart()
    {
        _env.Engine.InitHost(new HostInitRequest { Subnet = "10.201.0.0/29" });
        var a = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("a") });
        _env.Engine.DeleteVm(a.VmId);

        var engine = _env.Reopen(); // the allocator's memory is in the state, not in the process
        var next = Enumerable.Range(0, 5).Select(i => engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId($"n{i}") }).Ipv4.Address).ToList();

        Assert.Equal(["10.201.0.3", "10.201.0.4", "10.201.0.5", "10.201.0.6", "10.201.0.2"], next);
    }

    [Fact]
    public void A_recycled_address_inherits_no_flow_of_its_previous_vm()
    {
        _env.Engine.InitHost(new HostInitRequest { Subnet = "10.202.0.0/29" });
        var old = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("old") });
        using (var guest = new GuestStandIn(_env.Host, old))
        {
            Assert.True(guest.Ping(TestHost.OutsideAddress.ToString()));
        }

        _env.Engine.DeleteVm(old.VmId);
        Assert.Contains($"src={old.Ipv4.Address} ", _env.Host.InHost("conntrack", "-L"), StringComparison.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId($"fresh{i}") });
        }

        var reused = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("new") });

        Assert.Equal(old.Ipv4.Address, reused.Ipv4.Address);
        Assert.DoesNotContain($"={old.Ipv4.Address} ", _env.Host.InHost("conntrack", "-L"), StringComparison.Ordinal);
    }

    public void Dispose() => _env.Dispose();
}
