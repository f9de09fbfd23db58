using Fireline.Addressing;
using Fireline.Attachments;
using Fireline.Errors;
using Fireline.Faults;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Conntrack;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.Linux.TrafficControl;
using Fireline.Ownership;
using Fireline.State;

namespace Fireline.Vms;

/// <summary>
/// The kernel side of one VM: its namespace <c>vm-ID</c> with a persistent TAP and the VM end of a veth pair,
/// joined by tc redirects (no bridge, no address inside: nothing can clash with the guest); the host end on
/// the network's bridge. Every step is a few netlink messages; the in-namespace work is one thread hop. tap0,
/// veth0 and the host veth carry the instance's mark for the VM (<see cref="InstanceMark.ForVm"/>): a namespace
/// <c>vm-ID</c> is this instance's when its tap0 or veth0 says so, and nothing without the mark is removed.
/// </summary>
public sealed partial class VmDatapath(HostKernel kernel, InstanceMark mark)
{
    /// <summary>
    /// Builds a new VM's datapath; <paramref name="tcLimits"/> are shaped by tc on a network that enforces limits on
    /// the host. Throws <see cref="NamespaceExistsException"/> when vm-ID is taken.
    /// </summary>
    public void Build(VmState vm, int bridgeIndex, RateLimits? tcLimits)
    {
        if (vm.Options.Attachment is not null)
        {
            BuildAttached(vm, bridgeIndex, tcLimits);
            return;
        }

        var id = vm.VmId;
        var vmMark = mark.ForVm(id);
        var (ns, inside) = CreateNamespace(VmAddressing.NamespaceName(id), TapOptionsOf(vm), vmMark);
        using (ns)
        using (inside)
        {
            FaultPoints.Hit("create.namespace");
            CreateHostVeth(vm.Address, vmMark, ns, bridgeIndex);
            FaultPoints.Hit("create.veth");
            Join(inside, vmMark, vm);
            if (tcLimits is not null)
            {
                Shape(inside, tcLimits, vm);
            }

            FaultPoints.Hit("create.datapath");
        }
    }

    /// <summary>
    /// A new namespace mounted as <paramref name="name"/> holding a persistent TAP marked <paramref name="linkMark"/>, and
    /// an rtnetlink connection inside it (the caller disposes both). Throws <see cref="NamespaceExistsException"/> when
    /// the name is taken.
    /// </summary>
    private (NetworkNamespace Namespace, Rtnl Inside) CreateNamespace(string name, TapOptions tap, string linkMark)
    {
        Rtnl? inside = null;
        try
        {
            var ns = NetworkNamespace.Create(name, () =>
            {
                // No IPv6 on the namespace's own links: they would send router solicitations and DAD probes of
                // their own, and nothing in here needs an address.
                Sysctl.Write("net.ipv6.conf.all.disable_ipv6", "1");
                Sysctl.Write("net.ipv6.conf.default.disable_ipv6", "1");
                Tuntap.CreatePersistentTap(VmAddressing.TapDevice, tap);
                inside = Rtnl.Open();
                // Marked before the namespace is mounted under its name: a namespace of this instance is never seen
                // without its mark, even after a crash at any instant.
                inside.Links.SetAlias(VmAddressing.TapDevice, linkMark);
            }, kernel.NetnsDirectory);
            return (ns, inside!);
        }
        catch
        {
            inside?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Removes whatever exists of the VM's datapath that is this instance's, skipping missing pieces, so it also
    /// finishes a teardown that was cut short. Returns what it removed.
    /// </summary>
    /// <remarks>
    /// Unregistering a link costs about 17 ms here (the kernel waits out RCU grace periods), against 0.1 ms to
    /// unmount a namespace. So the host veth is only detached from its bridge (cheap, and it cuts the VM off at
    /// once, even if a VMM still holds the namespace), and the namespace is unmounted: the kernel then destroys
    /// the namespace with its TAP and both veth ends in one batch, a few milliseconds later. A namespace a live
    /// VMM still holds lingers until that process exits; its detached veth is removed by reconcile if it outlives it.
    /// What carries the mark goes. What is unmarked goes only when the record proves it: a ready (or deleting)
    /// VM's record names devices this instance made (before marks existed, if they lack one); a create's record
    /// is written before anything exists, so an unmarked namespace of that name is not the create's (its own
    /// carries the mark from the start) and stays, as does anything with another mark.
    /// </remarks>
    public IReadOnlyList<string> TearDown(VmState vm)
    {
        if (vm.Options.Attachment is not null)
        {
            return TearDownAttached(vm);
        }

        var removed = new List<string>();
        var name = VmAddressing.NamespaceName(vm.VmId);
        var hostVeth = VmAddressing.HostVeth(vm.Address);
        var link = kernel.Rtnl(rtnl => rtnl.Links.TryGet(hostVeth));
        var linkOwner = link is null ? (Owner?)null : mark.Judge(link, "veth");
        var owner = NamespaceOwner(name, linkOwner == Owner.Ours ? link!.LinkNamespaceId : null);
        var alias = NetworkNamespace.AliasOf(name, kernel.NetnsDirectory);
        if (linkOwner is { } whose && MayRemove(whose, vm) && kernel.Rtnl(rtnl => Detach(rtnl, hostVeth)))
        {
            removed.Add($"link {hostVeth} (detached; freed with the namespace)");
        }

        FaultPoints.Hit("delete.veth");
        if (owner is null ? NetworkNamespace.DeleteUnmounted(name, kernel.NetnsDirectory) : MayRemove(owner.Value, vm) && DeleteNamespace(name))
        {
            removed.Add($"namespace {name}");
        }

        // A VM made from a slot: its namespace is mounted under the slot's name, which vm-ID only named (or, a create
        // cut short before the alias, not even that). The address is the VM's, so no slot can hold that name meanwhile.
        var slot = SlotNamespace(vm.Address);
        if ((alias == slot ? owner : NamespaceOwner(slot, linkOwner == Owner.Ours ? link!.LinkNamespaceId : null)) is { } slotOwner &&
            MayRemove(slotOwner, vm) && DeleteNamespace(slot))
        {
            removed.Add($"namespace {slot}");
        }

        FaultPoints.Hit("delete.namespace");
        return removed;
    }

    private static bool MayRemove(Owner owner, VmState vm) => owner == Owner.Ours || (owner == Owner.Unmarked && vm.Lifecycle != VmLifecycle.Creating);

    /// <summary><c>ip netns delete NAME</c>; false when there was no such namespace.</summary>
    public bool DeleteNamespace(string name)
    {
        try
        {
            NetworkNamespace.Delete(name, kernel.NetnsDirectory);
            return true;
        }
        catch (NamespaceNotFoundException)
        {
            return false; // already gone: what the caller wants
        }
    }

    /// <summary>
    /// Whose the namespace <paramref name="name"/> is, by the marks on its tap0 and veth0 (see
    /// <see cref="JudgeInside"/>); null when no namespace is mounted under that name. With
    /// <paramref name="ownPeerNamespaceId"/>, the id under which the host namespace knows where the peer of one of
    /// this instance's host veths lives, a namespace of that id is this instance's without a look inside (a thread
    /// hop, the dearest part of a delete): it holds veth0, the peer this instance created in it.
    /// </summary>
    public Owner? NamespaceOwner(string name, int? ownPeerNamespaceId = null)
    {
        using var vmNamespace = kernel.TryOpenVm(name);
        if (vmNamespace is null)
        {
            return null;
        }

        if (ownPeerNamespaceId is { } peer && kernel.Rtnl(rtnl => rtnl.NamespaceIds.GetId(vmNamespace.Namespace)) == peer)
        {
            return Owner.Ours;
        }

        return JudgeInside(vmNamespace.Rtnl.Links.List());
    }

    /// <summary>
    /// Whether a VM namespace no record claims is this instance's, looking inside only when it can be: the host
    /// namespace must know it by an id. The kernel gives a namespace that id when a veth pair is made across the two and
    /// keeps it while the namespace lives, and every VM namespace this instance makes gets its veth pair (after its
    /// record is written: a create cut short before is settled by that record). So the VMs of other host namespaces
    /// (other instances, other test hosts: thousands, on a shared machine) cost one netlink request each at start-up,
    /// not a thread hop and a link dump inside.
    /// </summary>
    public bool IsOurOrphan(string name)
    {
        // An alias of one of this instance's slot names (a delete cut short after the slot went back): only the name goes.
        if (NetworkNamespace.AliasOf(name, kernel.NetnsDirectory) is { } target)
        {
            return IsSlotNamespace(target);
        }

        using var vmNamespace = kernel.TryOpenVm(name);
        return vmNamespace is not null && kernel.Rtnl(rtnl => rtnl.NamespaceIds.GetId(vmNamespace.Namespace)) is not null &&
               JudgeInside(vmNamespace.Rtnl.Links.List()) == Owner.Ours;
    }

    /// <summary>
    /// Whose a VM namespace is, by its devices: this instance's when its tap0 (a TAP) or veth0 (a veth) carries
    /// its mark; foreign when one carries another mark (or is of another kind); unmarked otherwise.
    /// </summary>
    public Owner JudgeInside(IReadOnlyList<Link> links, string tapName = VmAddressing.TapDevice, string vethName = VmAddressing.VmVeth)
    {
        var owners = links.Where(l => l.Name == tapName || l.Name == vethName)
            .Select(l => mark.Judge(l, l.Name == tapName ? "tun" : "veth")).ToList();
        return owners.Contains(Owner.Ours) ? Owner.Ours : owners.Contains(Owner.Foreign) ? Owner.Foreign : Owner.Unmarked;
    }

    private static bool Detach(Rtnl rtnl, string hostVeth)
    {
        try
        {
            rtnl.Links.SetNoMaster(hostVeth);
            return true;
        }
        catch (LinkNotFoundException)
        {
            return false; // gone with its namespace already
        }
    }

    /// <summary>
    /// The VM's veth pair, host end on the bridge; the peer is veth0 in Fireline's namespace, or a CNI attachment's
    /// <c>CNI_IFNAME</c> in the runtime's.
    /// </summary>
    private void CreateHostVeth(uint address, string vmMark, NetworkNamespace ns, int bridgeIndex, Attachment? attachment = null)
    {
        var peerName = attachment?.IfName ?? VmAddressing.VmVeth;
        var spec = new LinkSpec(VmAddressing.HostVeth(address), new Veth(peerName) { PeerNamespace = ns })
        {
            MasterIndex = bridgeIndex,
            Up = true,
            Alias = vmMark,
        };
        kernel.Rtnl(rtnl =>
        {
            try
            {
                rtnl.Links.Create(spec);
            }
            catch (LinkExistsException)
            {
                // The name comes from an address leased to this VM alone, so a link of this instance holding it is
                // the previous holder's: a VM just deleted, whose namespace the kernel is still freeing with its
                // veth (delete leaves that to it), or an orphan of a crash. Replace it; if the kernel frees it
                // first, the name is free all the same. A link without the mark is someone else's: never touched.
                var held = rtnl.Links.TryGet(spec.Name);
                if (held is null && attachment is not null)
                {
                    // The host end's name is free, so the name taken is the peer's, in a namespace Fireline does not own.
                    throw DomainErrors.Conflict($"an interface named {UserText.Quote(peerName)} exists in the namespace already; choose another interface name", "ifName");
                }

                if (held is not null && mark.Judge(held, "veth") != Owner.Ours)
                {
                    throw DomainErrors.Conflict(
                        $"link {spec.Name} exists in the host namespace and is not this Fireline instance's, so address {Ipv4Network.Format(address)} cannot be used; remove the link if it is a leftover", "vmId");
                }

                try
                {
                    rtnl.Links.Delete(spec.Name);
                }
                catch (LinkNotFoundException)
                {
                    // Freed with its namespace meanwhile.
                }

                rtnl.Links.Create(spec);
            }
        });
    }

    /// <summary>
    /// Brings the VM's TAP and veth end up, redirects every frame arriving on either to the other, and marks both, in
    /// one send. Safe to repeat: it replaces what is there.
    /// </summary>
    private static void Join(Rtnl inside, string linkMark, VmState vm) => Join(inside, linkMark, vm.VethName, vm.TapName);

    private static void Join(Rtnl inside, string linkMark, string vethName = VmAddressing.VmVeth, string tapName = VmAddressing.TapDevice)
    {
        var links = inside.Links.List();
        var veth = links.Single(l => l.Name == vethName);
        var tap = links.Single(l => l.Name == tapName);
        inside.TrafficControl.Join(veth, tap, linkMark);
    }

    /// <summary>Sets (or, with null, removes) the tc shaping of a running VM's devices.</summary>
    public void ApplyLimits(VmState vm, RateLimits? limits)
    {
        using var vmNamespace = kernel.OpenVm(vm);
        Shape(vmNamespace.Rtnl, limits ?? new RateLimits(), vm);
    }

    /// <summary>
    /// Token-bucket filters where the guest's traffic leaves a device: the TAP carries what the guest receives,
    /// the veth end what it sends (the redirect from the TAP goes through the veth's egress qdisc). A direction
    /// without a bandwidth limit gets its default qdisc back.
    /// </summary>
    private static void Shape(Rtnl inside, RateLimits limits, VmState vm)
    {
        foreach (var (device, limiter) in new[] { (vm.TapName, limits.Rx), (vm.VethName, limits.Tx) })
        {
            if (limiter?.Bandwidth is { Size: > 0, RefillTimeMs: > 0 } bucket)
            {
                var rate = (ulong)(bucket.Size * 1000 / bucket.RefillTimeMs);
                // The bucket's own size is its burst; never below a few full frames, or TCP cannot keep up.
                var burst = (uint)Math.Clamp(Math.Max(bucket.Size, bucket.OneTimeBurst ?? 0), 16 * 1024, uint.MaxValue);
                inside.TrafficControl.ReplaceQdisc(device, new Tbf(Math.Max(rate, 1), burst, TimeSpan.FromMilliseconds(50)));
            }
            else
            {
                ResetShaping(inside, device);
            }
        }
    }

    /// <summary>
    /// Makes a recorded VM whole again in place (its namespace exists): recreates a missing TAP (with its recorded
    /// owner and group, so a jailed VMM can still open it) or host veth, gives a TAP found with another owner or
    /// group the recorded ones, re-attaches the veth to its bridge, restores the redirect. A TAP that is there is
    /// never recreated, so a running VMM keeps its device. Devices without a mark, which a Fireline older than marks
    /// made, are adopted (marked): the record claims them. Returns what it repaired and adopted, both empty when the
    /// VM was whole; null when the namespace carries another mark, so is not this VM's to repair.
    /// </summary>
    public VmRepair? Repair(VmState vm, int bridgeIndex, Link? hostVeth, RateLimits? tcLimits)
    {
        var id = vm.VmId;
        var vmMark = mark.ForVm(id);
        var repaired = new List<string>();
        var adopted = new List<string>();
        using var vmNamespace = kernel.OpenVm(vm);
        var ns = vmNamespace.Namespace;
        var inside = vmNamespace.Rtnl;
        var links = inside.Links.List();
        var owner = JudgeInside(links, vm.TapName, vm.VethName);
        // A runtime's namespace holding neither marked device is not the attachment's any more (the runtime made a new
        // one under the path): the attachment is gone, as when the namespace is.
        if (owner == Owner.Foreign || (vm.Options.Attachment is not null && owner != Owner.Ours))
        {
            return null;
        }

        var tap = links.SingleOrDefault(l => l.Name == vm.TapName);
        if (tap is null)
        {
            ns.Run(() => Tuntap.CreatePersistentTap(vm.TapName, TapOptionsOf(vm)));
            repaired.Add($"recreated {vm.TapName}"); // marked with the redirect below
        }
        else if (!HasRecordedOwnership(tap, vm.Options))
        {
            ns.Run(() => RestoreOwnership(vm, repaired));
        }

        var unmarked = links.Where(l => (l.Name == vm.TapName || l.Name == vm.VethName) && l.Alias is null).ToList();
        if (unmarked.Count > 0)
        {
            inside.Links.SetAlias(unmarked, vmMark);
            adopted.AddRange(unmarked.Select(l => l.Name));
        }

        var name = VmAddressing.HostVeth(vm.Address);
        var hostOwner = hostVeth is null ? (Owner?)null : mark.Judge(hostVeth, "veth");
        if (hostVeth is null)
        {
            CreateHostVeth(vm.Address, vmMark, ns, bridgeIndex, vm.Options.Attachment);
            repaired.Add($"recreated veth {name}");
        }
        else if (hostOwner == Owner.Foreign)
        {
            repaired.Add($"left link {name} alone: it is not this instance's (remove it, then reconcile again)");
        }
        else
        {
            if (hostOwner == Owner.Unmarked)
            {
                kernel.Rtnl(rtnl => rtnl.Links.SetAlias(hostVeth.Index, name, vmMark));
                adopted.Add(name);
            }

            if (hostVeth.MasterIndex != bridgeIndex || !hostVeth.IsUp)
            {
                kernel.Rtnl(rtnl =>
                {
                    rtnl.Links.SetMaster(name, bridgeIndex);
                    rtnl.Links.SetUp(name);
                });
                repaired.Add($"re-attached {name} to its bridge");
            }
        }

        if (!IsJoined(inside, vm))
        {
            Join(inside, vmMark, vm);
            repaired.Add($"restored the {vm.TapName}-{vm.VethName} redirect");
        }

        if (tcLimits is not null)
        {
            Shape(inside, tcLimits, vm); // replaces what is there: a recreated device gets its shaping back
        }

        return new VmRepair(repaired, adopted);
    }

    /// <summary>Whether a TAP has the owner and group the VM was created with (each only when one was asked for).</summary>
    public static bool HasRecordedOwnership(Link tap, VmOptions options)
        => (options.TapOwner is null || tap.TunOwner == options.TapOwner) && (options.TapGroup is null || tap.TunGroup == options.TapGroup);

    private static TapOptions TapOptionsOf(VmState vm) => new() { Owner = vm.Options.TapOwner, Group = vm.Options.TapGroup };

    /// <summary>
    /// Gives tap0 its recorded owner and group, in the VM's namespace (the calling thread's). A VMM holding the TAP
    /// (which only a privileged one can, given the wrong owner) keeps it: it already has its device, and the next
    /// reconcile after it lets go restores the owner.
    /// </summary>
    private static void RestoreOwnership(VmState vm, List<string> repaired)
    {
        try
        {
            Tuntap.SetOwnership(vm.TapName, vm.Options.TapOwner, vm.Options.TapGroup);
            repaired.Add($"restored {vm.TapName}'s owner/group ({Ownership(vm.Options)})");
        }
        catch (KernelObjectExistsException)
        {
            // EBUSY: attached by a VMM right now (see above); doctor still reports it.
        }
    }

    /// <summary>How doctor and reconcile write a TAP's ownership: <c>user 1000 group 1000</c>.</summary>
    public static string Ownership(VmOptions options)
        => string.Join(' ', new[] { options.TapOwner is { } u ? $"user {u}" : null, options.TapGroup is { } g ? $"group {g}" : null }.OfType<string>());

    private static bool IsJoined(Rtnl inside, VmState vm)
    {
        var links = inside.Links.List();
        var veth = links.SingleOrDefault(l => l.Name == vm.VethName);
        var tap = links.SingleOrDefault(l => l.Name == vm.TapName);
        return veth is { IsUp: true } && tap is { IsUp: true } && Redirects(inside, tap, veth) is (true, true);
    }

    /// <summary>
    /// Which of the two tc redirects that join <paramref name="tap"/> (the TAP) and <paramref name="veth"/> (the veth end)
    /// are in place: the guest's frames pass only with both.
    /// </summary>
    public static (bool ToTap, bool ToVeth) Redirects(Rtnl inside, Link tap, Link veth)
        => (inside.TrafficControl.Redirects(veth, tap), inside.TrafficControl.Redirects(tap, veth));

    /// <summary>
    /// Deletes the host namespace's conntrack entries of an address about to be handed out again, so the new VM
    /// inherits no stale flow (or NAT mapping) of the one that held it before. By original and reply source: Fireline
    /// NATs a VM's address only as a source (masquerade) or as a forward's real destination, both of which those
    /// match; it never translates to or away from it otherwise. A guest's spoofed frames are dropped before their entries
    /// are confirmed (anti-spoofing filters them on the way in), so they leave none.
    /// </summary>
    public void ForgetFlows(uint address)
    {
        using var conntrack = Conntrack.Open(kernel.Namespace);
        conntrack.DeleteByEndpoint(Ipv4Network.ToAddress(address));
    }
}
