using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.Reconciliation;
using Fireline.State;

namespace Fireline.Sriov;

/// <summary>
/// The VF pool: hands enabled VFs whose netdev sits in the host namespace to VMs that ask for one, recorded in
/// the state store before the VF is moved, and moves the VF netdev into the VM's namespace as <c>vf0</c>, its
/// uplink to the physical network. Released on VM delete (the netdev goes back to the host namespace under its
/// own name); reconcile settles records that outlived their VM or their netdev.
/// </summary>
/// <remarks>
/// Firecracker's only network device is virtio-net over a TAP; it cannot pass a PCI VF through. So the VF does
/// not replace tap0: it sits next to it in the VM's namespace, where the VMM's side (a second TAP joined to it,
/// a macvtap, a vhost setup) can use it. The VM's Fireline network (lease, bridge, policies) is unchanged.
/// </remarks>
public sealed class SriovPool(IStateStore store, HostKernel kernel, string sysfsRoot)
{
    /// <summary>The VF's name inside the VM's namespace.</summary>
    public const string VfDevice = "vf0";

    /// <summary>What a request names to take a VF of any physical function.</summary>
    public const string AnyPf = "any";

    private readonly Lock _lock = new();

    public IReadOnlyList<PhysicalFunction> Discover() => SriovSysfs.Discover(sysfsRoot);

    /// <summary>Checks a request's <c>sriov</c> value before anything is made.</summary>
    public static void Validate(string? pf)
    {
        if (pf is not null && pf != AnyPf && !SafeName.IsValid(pf, LinkName.MaxBytes))
        {
            throw DomainErrors.InvalidInput("sriov", $"sriov: {UserText.Quote(pf)} is neither '{AnyPf}' nor an interface name ({SafeName.Rule(LinkName.MaxBytes)})");
        }
    }

    /// <summary>
    /// Gives the VM a free VF of <paramref name="pf"/> (or of any PF) and moves it into the VM's namespace. The
    /// allocation is durable before the move, so a crash in between leaves a record that release or reconcile
    /// finishes.
    /// </summary>
    public VfAllocation Attach(VmState vm, string pf)
    {
        VfAllocation allocation;
        lock (_lock)
        {
            var functions = Discover();
            if (pf != AnyPf && functions.All(f => f.Name != pf))
            {
                throw DomainErrors.InvalidInput("sriov", $"no SR-IOV physical function '{pf}' under {Path.Combine(sysfsRoot, "class/net")} (found: {Names(functions)})");
            }

            var taken = store.ListVfs().Select(a => (a.Pf, a.Index)).ToHashSet();
            var present = kernel.Rtnl(rtnl => rtnl.Links.List()).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
            var vf = functions.Where(f => pf == AnyPf || f.Name == pf).SelectMany(f => f.VirtualFunctions)
                .FirstOrDefault(v => !taken.Contains((v.Pf, v.Index)) && present.Contains(v.Device))
                ?? throw DomainErrors.VfExhausted(pf == AnyPf ? Names(functions) : pf);
            allocation = new VfAllocation(vm.VmId, vf.Pf, vf.Index, vf.Device);
            store.AddVf(allocation);
        }

        MoveIn(vm, allocation);
        return allocation;
    }

    /// <summary>
    /// Gives the VM's VF back: <c>vf0</c> leaves the VM's namespace under its own name for the host namespace, and
    /// the record goes. A VF already gone (its namespace was deleted: a real VF then returns to the machine's
    /// namespace by itself) only loses its record. Returns what was done, or null when the VM had no VF.
    /// </summary>
    public string? Release(VmId vmId)
    {
        var allocation = store.ListVfs().SingleOrDefault(a => a.VmId == vmId);
        if (allocation is null)
        {
            return null;
        }

        var moved = MoveOut(allocation);
        store.RemoveVf(vmId);
        return moved ? $"VF {allocation.Device} ({allocation.Pf} #{allocation.Index}) back to the host" : $"the record of VF {allocation.Device} (its netdev was gone)";
    }

    /// <summary>The VM's VF, for its record; null when it has none.</summary>
    public VfAllocation? Find(VmId vmId) => store.ListVfs().SingleOrDefault(a => a.VmId == vmId);

    /// <summary>
    /// Reconcile's part: a VF recorded for no VM is released; a recorded VF whose netdev is neither in its VM's
    /// namespace nor back in the host namespace has vanished (the PF's VFs were disabled) and loses its record; one
    /// that is back in the host namespace is moved in again.
    /// </summary>
    public void Reconcile(List<ReconcileAction> actions)
    {
        foreach (var allocation in store.ListVfs())
        {
            var subject = $"vf {allocation.Device}";
            if (store.GetVm(allocation.VmId) is not { } vm)
            {
                actions.Add(new ReconcileAction("release-vf", subject, $"allocated to VM '{allocation.VmId}', which no record claims: released {Release(allocation.VmId)}"));
                continue;
            }

            if (vm.Lifecycle != VmLifecycle.Ready)
            {
                continue;
            }

            // A namespace that is gone is the VM's own reconcile's to settle; its VF went back to the host with it.
            using var vmNamespace = kernel.TryOpenVm(vm.VmId);
            if (vmNamespace?.Rtnl.Links.TryGet(VfDevice) is { } inside)
            {
                if (!inside.IsUp)
                {
                    vmNamespace.Rtnl.Links.SetUp(VfDevice);
                    actions.Add(new ReconcileAction("repair", vm.VmId.Value, $"brought {VfDevice} (VF {allocation.Device}) up"));
                }

                continue;
            }

            if (kernel.Rtnl(rtnl => rtnl.Links.TryGet(allocation.Device)) is not null)
            {
                MoveIn(vm, allocation);
                actions.Add(new ReconcileAction("repair", vm.VmId.Value, $"moved VF {allocation.Device} into its namespace again as {VfDevice}"));
            }
            else
            {
                store.RemoveVf(vm.VmId);
                actions.Add(new ReconcileAction("drop-vanished-vf", subject, $"VF {allocation.Pf} #{allocation.Index} of VM '{vm.VmId}' has no netdev any more: record dropped"));
            }
        }
    }

    private void MoveIn(VmState vm, VfAllocation allocation)
    {
        using var vmNamespace = kernel.OpenVm(vm.VmId);
        kernel.Rtnl(rtnl =>
        {
            // A netdev is renamed only while down, and a VF's name must not clash in the VM's namespace.
            rtnl.Links.SetDown(allocation.Device);
            rtnl.Links.MoveToNamespace(allocation.Device, vmNamespace.Namespace);
        });
        vmNamespace.Rtnl.Links.Rename(allocation.Device, VfDevice);
        vmNamespace.Rtnl.Links.SetUp(VfDevice);
    }

    /// <summary>Moves vf0 back to the host namespace under its own name; false when it is not in the VM's namespace.</summary>
    private bool MoveOut(VfAllocation allocation)
    {
        using var vmNamespace = kernel.TryOpenVm(allocation.VmId);
        if (vmNamespace is null)
        {
            return false; // the namespace is gone, and a VF in it went back to the machine's namespace with it
        }

        var inside = vmNamespace.Rtnl;
        if (inside.Links.TryGet(VfDevice) is null)
        {
            return false;
        }

        inside.Links.SetDown(VfDevice);
        inside.Links.Rename(VfDevice, allocation.Device);
        inside.Links.MoveToNamespace(allocation.Device, kernel.Namespace);
        return true;
    }

    private static string Names(IReadOnlyList<PhysicalFunction> functions)
        => functions.Count == 0 ? "none" : string.Join(", ", functions.Select(f => f.Name));
}
