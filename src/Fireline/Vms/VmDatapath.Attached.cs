using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Faults;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.Ownership;
using Fireline.State;

namespace Fireline.Vms;

/// <summary>
/// A CNI attachment's datapath: the same devices as a VM's, in the runtime's namespace (<c>CNI_NETNS</c>), which
/// Fireline opens but never creates or removes.
/// </summary>
public sealed partial class VmDatapath
{
    /// <summary>
    /// The TAP first, marked in the thread hop that makes it (an interrupted ADD leaves nothing unmarked in a namespace
    /// that is not Fireline's, so teardown can tell its TAP from the runtime's devices); then the veth pair, its end
    /// named <c>CNI_IFNAME</c> in the runtime's namespace; then the tc redirects that join the two.
    /// </summary>
    private void BuildAttached(VmState vm, int bridgeIndex, RateLimits? tcLimits)
    {
        var attachment = vm.Options.Attachment!;
        var vmMark = mark.ForVm(vm.VmId);
        using var vmNamespace = kernel.TryOpenVm(vm)
            ?? throw DomainErrors.InvalidInput("netns", $"{UserText.Quote(attachment.Netns)} is not a network namespace (gone, or never made)");
        Rtnl? inside = null;
        try
        {
            vmNamespace.Namespace.Run(() =>
            {
                Tuntap.CreatePersistentTap(attachment.TapName, TapOptionsOf(vm));
                inside = Rtnl.Open();
                inside.Links.SetAlias(attachment.TapName, vmMark);
            });
        }
        catch (KernelObjectExistsException)
        {
            inside?.Dispose();
            throw DomainErrors.Conflict($"an interface named {UserText.Quote(attachment.TapName)} exists in the namespace already; choose another TAP name", "tapName");
        }
        catch
        {
            inside?.Dispose();
            throw;
        }

        using (inside)
        {
            FaultPoints.Hit("create.namespace");
            CreateHostVeth(vm.Address, vmMark, vmNamespace.Namespace, bridgeIndex, attachment);
            FaultPoints.Hit("create.veth");
            Join(inside!, vmMark, vm);
            if (tcLimits is not null)
            {
                Shape(inside!, tcLimits, vm);
            }

            FaultPoints.Hit("create.datapath");
        }
    }

    /// <summary>
    /// Takes the VM off its bridge, which no frame of it crosses after this (<c>ip link set HOSTVETH nomaster</c>): a
    /// delete whose devices are removed later is over for the guest at once. Nothing to do when the veth is gone or
    /// is not this instance's.
    /// </summary>
    public void CutOff(VmState vm)
    {
        var hostVeth = VmAddressing.HostVeth(vm.Address);
        if (kernel.Rtnl(rtnl => rtnl.Links.TryGet(hostVeth)) is { } link && mark.Judge(link, "veth") == Owner.Ours)
        {
            kernel.Rtnl(rtnl => Detach(rtnl, hostVeth));
        }
    }

    /// <summary>
    /// Removes what <see cref="BuildAttached"/> made, never the namespace: the host veth (its peer, <c>CNI_IFNAME</c>,
    /// goes with it) and the TAP, each only when it carries this VM's mark; whatever is missing is skipped, so a DEL
    /// after the runtime removed its namespace, or a second DEL, succeeds with nothing to do.
    /// </summary>
    private IReadOnlyList<string> TearDownAttached(VmState vm)
    {
        var vmMark = mark.ForVm(vm.VmId);
        var removed = new List<string>();
        var hostVeth = VmAddressing.HostVeth(vm.Address);
        if (kernel.Rtnl(rtnl => rtnl.Links.TryGet(hostVeth)) is { Kind: "veth" } link && link.Alias == vmMark &&
            kernel.Rtnl(rtnl => rtnl.Links.DeleteIfExists(hostVeth)))
        {
            removed.Add($"link {hostVeth} (with {vm.VethName})");
        }

        FaultPoints.Hit("delete.veth");
        using (var vmNamespace = kernel.TryOpenVm(vm))
        {
            if (vmNamespace?.Rtnl.Links.TryGet(vm.TapName) is { Kind: "tun" } tap && tap.Alias == vmMark &&
                vmNamespace.Rtnl.Links.DeleteIfExists(vm.TapName))
            {
                removed.Add($"link {vm.TapName} in {vm.Options.Attachment!.Netns}");
            }
        }

        FaultPoints.Hit("delete.namespace");
        return removed;
    }
}
