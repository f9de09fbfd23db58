using Fireline.Errors;
using Fireline.Host;
using Fireline.Sriov;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Sriov;

/// <summary>
/// The VF pool against a constructed sysfs tree whose VF netdevs are veth devices in the test host: no SR-IOV
/// hardware here, so what is tested is discovery, allocation, state, the moves and reconcile, not a NIC.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class SriovTests : IDisposable
{
    private readonly SysfsTree _sysfs = new();
    private readonly EngineHost _env;
    private readonly string[] _vfs;

    public SriovTests()
    {
        _env = new EngineHost(options => options with { SysfsRoot = _sysfs.Root });
        // Stand-in VF netdevs: one end of a veth pair each, the other end ("p" suffix) staying in the host.
        _vfs = ["tvf0", "tvf1"];
        foreach (var vf in _vfs)
        {
            Ip.Run("-n", _env.Host.HostNamespaceName, "link", "add", vf, "type", "veth", "peer", "name", vf + "p");
        }

        _sysfs.Pf("tpf0", 4, _vfs);
        _env.Engine.InitHost(new HostInitRequest());
    }

    [Fact]
    public void A_vm_gets_a_free_vf_in_its_namespace_and_gives_it_back_on_delete()
    {
        var first = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("v1"), Sriov = "tpf0" });
        var second = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("v2"), Sriov = SriovPool.AnyPf });

        Assert.Equal(new VfAssignment("tpf0", 0, "tvf0", "vf0"), first.Sriov);
        Assert.Equal(new VfAssignment("tpf0", 1, "tvf1", "vf0"), second.Sriov);
        Assert.Equal("UP", Ip.Link(first.Namespace, "vf0")!.Value.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).Single(f => f == "UP"));
        Assert.Null(Ip.Link(_env.Host.HostNamespaceName, "tvf0"));
        Assert.Equal(first.Sriov, _env.Engine.GetVm(first.VmId).Sriov);

        var error = Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("v3"), Sriov = "tpf0" }));
        Assert.Equal("vf-exhausted", error.Code);
        Assert.Equal(2, _env.Engine.ListVms().Count); // the refused VM left nothing behind
        Assert.False(Ip.NamespaceExists($"vm-{_env.Host.VmId("v3")}"));

        _env.Engine.DeleteVm(first.VmId);
        Assert.NotNull(Ip.Link(_env.Host.HostNamespaceName, "tvf0"));
        var third = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("v3"), Sriov = "tpf0" });
        Assert.Equal("tvf0", third.Sriov!.HostDevice);
    }

    [Fact]
    public void An_unknown_physical_function_is_bad_input()
    {
        var error = Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("x"), Sriov = "nic9" }));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains("tpf0", error.Message, StringComparison.Ordinal);
        Assert.Empty(_env.Engine.ListVms());
    }

    [Fact]
    public void Reconcile_drops_a_vf_whose_netdev_vanished_and_releases_one_allocated_to_no_vm()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("r1"), Sriov = "tpf0" });
        Ip.Run("-n", vm.Namespace, "link", "del", "vf0");
        _env.Engine.Dispose();
        StateDatabase.Execute(_env.StateDirectory, "INSERT INTO vfs(pf, vf_index, vm_id, device) VALUES('tpf0', 1, 'no-such-vm', 'tvf1')");

        var report = _env.Reopen().Reconcile();

        Assert.Contains(report.Actions, a => a.Action == "drop-vanished-vf" && a.Subject == "vf tvf0");
        Assert.Contains(report.Actions, a => a.Action == "release-vf" && a.Subject == "vf tvf1");
        Assert.Null(_env.Engine.GetVm(vm.VmId).Sriov);
        Assert.NotNull(Ip.Link(_env.Host.HostNamespaceName, "tvf1"));
        Assert.Equal("tvf1", _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("r2"), Sriov = "tpf0" }).Sriov!.HostDevice);
    }

    [Fact]
    public void Doctor_checks_the_vf_and_reconcile_brings_it_back_up()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("d1"), Sriov = "tpf0" });
        Assert.Equal(Fireline.Doctor.CheckStatus.Pass, _env.Engine.Doctor(vm.VmId).Checks.Single(c => c.Check == "sriov-vf").Status);

        Ip.Run("-n", vm.Namespace, "link", "set", "vf0", "down");
        var failed = _env.Engine.Doctor(vm.VmId).Checks.Single(c => c.Check == "sriov-vf");

        Assert.Equal(Fireline.Doctor.CheckStatus.Fail, failed.Status);
        Assert.Equal("fireline reconcile", failed.Fix);
        Assert.Contains(_env.Engine.Reconcile().Actions, a => a.Action == "repair" && a.Detail.Contains("vf0", StringComparison.Ordinal));
        Assert.True(_env.Engine.Doctor(vm.VmId).Healthy);
    }

    public void Dispose()
    {
        _env.Dispose();
        _sysfs.Dispose();
    }
}
