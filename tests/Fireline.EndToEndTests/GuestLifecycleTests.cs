using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.EndToEndTests;

/// <summary>Deleting a VM's network while its guest runs cuts that guest off and leaves the others alone.</summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class GuestLifecycleTests : IDisposable
{
    private readonly EngineHost _env = new();

    public GuestLifecycleTests() => _env.Engine.InitHost(new HostInitRequest());

    [Fact]
    public void Deleting_one_vm_removes_its_tap_and_namespace_while_the_other_guest_keeps_working()
    {
        var a = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("a") });
        var b = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("b") });
        var gateway = a.Ipv4.Gateway;
        using var deleted = QemuGuest.Boot(a, Probe.Steps(Probe.Ping(gateway), Probe.Serve));
        Assert.True(deleted.Results()[Probe.Ping(gateway)].Ok, deleted.Transcript); // up before the other pings it
        using var kept = QemuGuest.Boot(b, Probe.Steps(Probe.Ping(gateway), Probe.Ping(a.Ipv4.Address), Probe.Serve));
        Assert.All(kept.Results().Values, r => Assert.True(r.Ok, kept.Transcript));

        Assert.True(_env.Engine.DeleteVm(a.VmId).Deleted);

        // QEMU still holds the namespace (and the TAP in it) open, but its name is gone and its host veth is off
        // the bridge: the guest is cut off at once.
        var hostNs = _env.Host.HostNamespaceName;
        Assert.False(Ip.NamespaceExists(a.Namespace));
        var veth = Ip.Link(hostNs, a.HostVeth);
        Assert.True(veth is null || !veth.Value.TryGetProperty("master", out _), "the deleted VM's veth is still on the bridge");
        Assert.False(deleted.Run(Probe.Ping(gateway, 3))[Probe.Ping(gateway, 3)].Ok, deleted.Transcript);
        // Once QEMU is gone the kernel frees the namespace: the TAP and both veth ends go with it.
        deleted.Dispose();
        Eventually.True(() => Ip.Link(hostNs, a.HostVeth) is null, "the namespace, its TAP and veth are freed when QEMU exits");

        var results = kept.Run(Probe.Ping(gateway), Probe.Ping(a.Ipv4.Address, 3));
        Assert.True(results[Probe.Ping(gateway)].Ok, kept.Transcript);
        Assert.False(results[Probe.Ping(a.Ipv4.Address, 3)].Ok, kept.Transcript);
    }

    public void Dispose() => _env.Dispose();
}
