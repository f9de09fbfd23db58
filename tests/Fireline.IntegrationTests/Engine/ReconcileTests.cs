using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Engine;

[Trait("Category", Categories.Integration)]
public sealed class ReconcileTests : IDisposable
{
    private readonly EngineHost _env = new();

    public ReconcileTests() => _env.Engine.InitHost(new HostInitRequest());

    [Fact]
    public void Nothing_to_do_when_state_and_kernel_agree()
    {
        _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("ok") });
        Assert.Empty(_env.Engine.Reconcile().Actions);
    }

    [Fact]
    public void A_record_whose_namespace_vanished_is_dropped_and_its_veth_removed()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("gone") });
        Ip.Run("netns", "del", vm.Namespace);

        var report = _env.Engine.Reconcile();

        var action = Assert.Single(report.Actions);
        Assert.Equal("drop-vanished", action.Action);
        Assert.Empty(_env.Engine.ListVms());
        KernelState.AssertConsistent(_env, []);
    }

    [Fact]
    public void Missing_pieces_of_a_recorded_vm_are_rebuilt_in_place()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("fix") });
        Ip.Run("-n", _env.Host.HostNamespaceName, "link", "del", vm.HostVeth);
        Ip.Run("-n", vm.Namespace, "link", "del", "tap0");

        var report = _env.Engine.Reconcile();

        Assert.Equal("repair", Assert.Single(report.Actions).Action);
        KernelState.AssertConsistent(_env, _env.Engine.ListVms());
        Assert.Equal(vm.Ipv4, _env.Engine.GetVm(vm.VmId).Ipv4);
        using var guest = new GuestStandIn(_env.Host, vm);
        Assert.True(guest.Ping(vm.Ipv4.Gateway));
    }

    /// <summary>A jailed VMM (uid 1234, gid 5678) opens its TAP only while the TAP has that owner and group.</summary>
    [Fact]
    public void A_tap_rebuilt_or_found_with_another_owner_gets_its_recorded_owner_and_group_back()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("owned"), TapOwner = 1234, TapGroup = 5678 });
        Ip.Run("-n", vm.Namespace, "link", "del", "tap0");

        Assert.Contains(_env.Engine.Reconcile().Actions, a => a.Subject == vm.VmId && a.Detail.Contains("recreated tap0", StringComparison.Ordinal));
        Assert.Equal("attached", JailedVmm.Attach(vm.Namespace, "tap0", 1234, 5678).StandardOutput.Trim());

        // Replaced behind Fireline's back by one a stranger owns.
        Ip.Run("-n", vm.Namespace, "link", "del", "tap0");
        Ip.Run("-n", vm.Namespace, "tuntap", "add", "dev", "tap0", "mode", "tap", "user", "999");
        Assert.NotEqual(0, JailedVmm.Attach(vm.Namespace, "tap0", 1234, 5678).ExitCode);

        var repaired = Assert.Single(_env.Engine.Reconcile().Actions, a => a.Action == "repair"); // and an unmarked tap0 is adopted

        Assert.Contains("restored tap0's owner/group (user 1234 group 5678)", repaired.Detail, StringComparison.Ordinal);
        Assert.Equal("attached", JailedVmm.Attach(vm.Namespace, "tap0", 1234, 5678).StandardOutput.Trim());
        KernelState.AssertConsistent(_env, _env.Engine.ListVms());
        Assert.Empty(_env.Engine.Reconcile().Actions);
    }

    [Fact]
    public void Unclaimed_vm_objects_of_this_host_are_removed_and_a_foreign_namespace_is_left_alone()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("orphan") });
        var foreign = $"vm-{_env.Host.VmId("foreign")}";
        Ip.Run("netns", "add", foreign);
        // Forget the VM: its namespace and veth are now orphans only the kernel knows about.
        _env.Engine.Dispose();
        StateDatabase.Execute(_env.StateDirectory, "DELETE FROM vms");

        var report = _env.Reopen().Reconcile();

        Assert.Contains(report.Actions, a => a.Action == "remove-orphan" && a.Subject == $"link {vm.HostVeth}");
        Assert.Contains(report.Actions, a => a.Action == "remove-orphan" && a.Subject == $"namespace {vm.Namespace}");
        Assert.False(Ip.NamespaceExists(vm.Namespace));
        Assert.True(Ip.NamespaceExists(foreign));
    }

    public void Dispose() => _env.Dispose();
}
