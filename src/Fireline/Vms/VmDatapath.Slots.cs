using System.Net.Sockets;
using Fireline.Addressing;
using Fireline.Faults;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.Linux.TrafficControl;
using Fireline.Ownership;
using Fireline.State;

namespace Fireline.Vms;

/// <summary>
/// Warm-pool slots: a VM's devices made before any VM asks for them. A slot is the namespace <c>fls-ADDR</c> with its
/// TAP and veth end joined, and the host end on the network's bridge, all marked <see cref="InstanceMark.ForSlot"/>.
/// A VM takes one by an alias: <c>vm-ID</c> becomes a link to the slot's name (no device touched, and no mount: an unmount
/// waits out the kernel's RCU grace period, milliseconds, the dearest step a rename had), and gives it back by an
/// unlink. A VM's namespace made the cold way is renamed to the slot's name instead (a bind mount and an unmount).
/// Scrubbing takes the TAP back (or makes it again), so nothing of the previous VM (its counters, owner, a VMM's
/// descriptor or what it set, shaping) survives, and a slot a process is still inside, or whose TAP a process still
/// holds, is removed instead.
/// </summary>
public sealed partial class VmDatapath
{
    /// <summary>Makes a slot for <paramref name="address"/>; throws <see cref="NamespaceExistsException"/> when its name is taken.</summary>
    public void BuildSlot(uint address, int bridgeIndex)
    {
        var slotMark = mark.ForSlot();
        var (ns, inside) = CreateNamespace(SlotNamespace(address), new TapOptions(), slotMark);
        using (ns)
        using (inside)
        {
            FaultPoints.Hit("pool.fill.namespace");
            CreateHostVeth(address, slotMark, ns, bridgeIndex);
            Join(inside, slotMark);
        }
    }

    /// <summary>
    /// Gives <paramref name="vm"/> the slot of its address: <c>vm-ID</c> names the slot's namespace, the TAP gets the
    /// VM's owner and group and the VM's tc limits, when it has any (a visit inside; none otherwise).
    /// </summary>
    public void TakeSlot(VmState vm, RateLimits? tcLimits)
    {
        NetworkNamespace.Alias(SlotNamespace(vm.Address), VmAddressing.NamespaceName(vm.VmId), kernel.NetnsDirectory);
        FaultPoints.Hit("pool.acquire.alias");
        if (vm.Options.TapOwner is not null || vm.Options.TapGroup is not null || tcLimits is not null)
        {
            using var vmNamespace = kernel.OpenVm(vm);
            if (vm.Options.TapOwner is not null || vm.Options.TapGroup is not null)
            {
                vmNamespace.Namespace.Run(() => Tuntap.SetOwnership(vm.TapName, vm.Options.TapOwner, vm.Options.TapGroup));
            }

            if (tcLimits is not null)
            {
                Shape(vmNamespace.Rtnl, tcLimits, vm);
            }
        }
    }

    /// <summary>
    /// Takes a deleted VM's namespace back as its address's slot: the alias goes (a VM made from a slot), or the namespace
    /// is renamed (a VM made the cold way). False, with nothing changed, when it cannot be a slot: no namespace of this
    /// instance is named <c>vm-ID</c>, or the slot's name is taken.
    /// </summary>
    public bool ReturnSlot(VmState vm)
    {
        var name = VmAddressing.NamespaceName(vm.VmId);
        var slot = SlotNamespace(vm.Address);
        try
        {
            switch (NetworkNamespace.AliasOf(name, kernel.NetnsDirectory))
            {
                case var target when target == slot:
                    // Only the VM's name goes, a link to this instance's slot name. What the slot holds is judged by the
                    // scrub, inside, before anyone gets it; judging it here would ask the kernel for the namespace's id,
                    // a walk over every id the host namespace has given (the cost of a delete would grow with the VMs).
                    return NetworkNamespace.DeleteUnmounted(name, kernel.NetnsDirectory);
                case null when IsOurs(name, vm.Address):
                    NetworkNamespace.Rename(name, slot, kernel.NetnsDirectory);
                    return true;
                default:
                    return false; // not this instance's, or a link to another name: not what this instance made
            }
        }
        catch (KernelException)
        {
            return false; // the VM's devices stay under its name; the caller removes them as a delete does
        }
    }

    /// <summary>Whether the namespace <paramref name="name"/> and the host veth of <paramref name="address"/> are this instance's.</summary>
    private bool IsOurs(string name, uint address)
    {
        var hostVeth = kernel.Rtnl(rtnl => rtnl.Links.TryGet(VmAddressing.HostVeth(address)));
        return hostVeth is not null && mark.Judge(hostVeth, "veth") == Owner.Ours &&
               NamespaceOwner(name, hostVeth.LinkNamespaceId) == Owner.Ours;
    }

    /// <summary>
    /// Scrubs a returned slot: its TAP taken back (no descriptor of the previous VMM on it, nothing it set, counters from
    /// here on; a new TAP when the previous VM gave it an owner or group), no shaping, and in the host namespace no
    /// connection-tracking or neighbour entry of the address left. False when the slot's namespace is not whole (or not
    /// this instance's), or a process was inside it at <paramref name="returnedAt"/> (a <see cref="System.Diagnostics.Stopwatch"/>
    /// timestamp taken once its VM's name had left it) and still is: the caller removes it instead.
    /// </summary>
    public bool ScrubSlot(uint address, int bridgeIndex, long returnedAt)
    {
        using var slot = kernel.TryOpenVm(SlotNamespace(address));
        // A process still inside (a VMM the orchestrator did not stop first) could reach whatever the next VM gets here:
        // such a slot is never handed out again, it is removed, and lingers with that process as a deleted VM's would.
        if (slot is null || NamespaceUsers.AnyInside(slot.Namespace.Inode, since: returnedAt))
        {
            return false;
        }

        var inside = slot.Rtnl;
        var links = inside.Links.List();
        // Exactly what a slot holds: a link anyone added in there would go to the next VM with the namespace.
        if (JudgeInside(links) != Owner.Ours || !links.Any(l => l.Name == VmAddressing.VmVeth) ||
            links.Any(l => l.Name is not (VmAddressing.VmVeth or VmAddressing.TapDevice or "lo")))
        {
            return false;
        }

        var slotMark = mark.ForSlot();
        if (links.FirstOrDefault(l => l.Name == VmAddressing.TapDevice) is { Kind: "tun", TunOwner: null, TunGroup: null } tap)
        {
            // Kept: deleting a device waits out RCU grace periods (~20 ms), three quarters of a scrub. Taking it back
            // proves no VMM holds it any more (EBUSY otherwise: removed instead, as above) and clears what one could set.
            try
            {
                slot.Namespace.Run(() => Tuntap.Reclaim(VmAddressing.TapDevice));
            }
            catch (KernelObjectExistsException)
            {
                return false;
            }

            inside.Links.SetAlias(tap.Index, tap.Name, CounterBaseline.Mark(slotMark, inside.Links.GetStatistics(tap.Name)));
            ResetShaping(inside, VmAddressing.TapDevice);
        }
        else
        {
            // An owner or group, which the driver cannot take away again: a new TAP.
            inside.Links.DeleteIfExists(VmAddressing.TapDevice);
            slot.Namespace.Run(() => Tuntap.CreatePersistentTap(VmAddressing.TapDevice, new TapOptions()));
            inside.Links.SetAlias(VmAddressing.TapDevice, slotMark);
            Join(inside, slotMark);
        }

        ResetShaping(inside, VmAddressing.VmVeth);
        ForgetFlows(address);
        // One delete by key, not a dump: the bridge holds an entry per VM, and a scrub must cost the same at 10,000.
        kernel.Rtnl(rtnl => rtnl.Neighbours.DeleteIfExists(new Neighbour(bridgeIndex, Ipv4Network.ToAddress(address))));
        return true;
    }

    private static void ResetShaping(Rtnl inside, string device)
    {
        if (inside.TrafficControl.ListQdiscs(device).Any(q => q.Kind == "tbf"))
        {
            inside.TrafficControl.DeleteQdisc(device, TcHandle.Root);
        }
    }

    /// <summary>
    /// Removes whatever exists of a slot that is this instance's: its host veth leaves the bridge, its namespace is
    /// unmounted (the kernel frees both with the TAP). Returns what it removed.
    /// </summary>
    public IReadOnlyList<string> DestroySlot(uint address)
    {
        var removed = new List<string>();
        var name = SlotNamespace(address);
        var hostVeth = VmAddressing.HostVeth(address);
        var link = kernel.Rtnl(rtnl => rtnl.Links.TryGet(hostVeth));
        var ours = link is not null && mark.Judge(link, "veth") == Owner.Ours;
        if (ours && kernel.Rtnl(rtnl => Detach(rtnl, hostVeth)))
        {
            removed.Add($"link {hostVeth} (detached; freed with the namespace)");
        }

        if (NamespaceOwner(name, ours ? link!.LinkNamespaceId : null) is { } owner
            ? owner == Owner.Ours && DeleteNamespace(name)
            : NetworkNamespace.DeleteUnmounted(name, kernel.NetnsDirectory))
        {
            removed.Add($"namespace {name}");
        }

        return removed;
    }

    /// <summary>The name of this instance's slot namespace for <paramref name="address"/>.</summary>
    public string SlotNamespace(uint address) => VmAddressing.SlotNamespaceName(mark.ShortId, address);

    /// <summary>The names of this instance's slot namespaces mounted now (by name: the marks inside say whose they are).</summary>
    public IEnumerable<string> SlotNamespaces() => NetworkNamespace.List(kernel.NetnsDirectory).Where(IsSlotNamespace);

    /// <summary>Whether <paramref name="name"/> is one of this instance's slot names (whatever is mounted there).</summary>
    private bool IsSlotNamespace(string name) => name.StartsWith(VmAddressing.SlotNamespaceName(mark.ShortId, 0)[..^8], StringComparison.Ordinal);

    /// <summary>Whether a ready slot is whole: its namespace is this instance's and its host veth is on the bridge, up.</summary>
    public bool SlotIsWhole(uint address, int bridgeIndex, Link? hostVeth)
        => hostVeth is { IsUp: true } && hostVeth.MasterIndex == bridgeIndex && mark.Judge(hostVeth, "veth") == Owner.Ours &&
           NamespaceOwner(SlotNamespace(address), hostVeth.LinkNamespaceId) == Owner.Ours;
}
