using Fireline.Addressing;
using Fireline.Faults;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Netlink;
using Fireline.Linux.Conntrack;
using Fireline.Linux.Rtnetlink;
using Fireline.Linux.TrafficControl;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Vms;

/// <summary>
/// The kernel side of one VM: its namespace <c>vm-ID</c> with a persistent TAP and the VM end of a veth pair,
/// joined by tc redirects (no bridge, no address inside: nothing can clash with the guest); the host end on
/// the network's bridge. Every step is a few netlink messages; the in-namespace work is one thread hop.
/// </summary>
public sealed class VmDatapath(HostKernel kernel)
{
    /// <summary>
    /// Builds a new VM's datapath; <paramref name="tcLimits"/> are shaped by tc on a network that enforces limits on
    /// the host. Throws <see cref="NamespaceExistsException"/> when vm-ID is taken.
    /// </summary>
    public void Build(VmState vm, int bridgeIndex, RateLimits? tcLimits)
    {
        var name = VmAddressing.NamespaceName(VmId.Parse(vm.VmId));
        Rtnl? inside = null;
        using var ns = NetworkNamespace.Create(name, () =>
        {
            // No IPv6 on the namespace's own links: they would send router solicitations and DAD probes of
            // their own, and nothing in here needs an address.
            Sysctl.Write("net.ipv6.conf.all.disable_ipv6", "1");
            Sysctl.Write("net.ipv6.conf.default.disable_ipv6", "1");
            Tuntap.CreatePersistentTap(VmAddressing.TapDevice, TapOptionsOf(vm));
            inside = Rtnl.Open();
        }, kernel.NetnsDirectory);
        using (inside)
        {
            FaultPoints.Hit("create.namespace");
            CreateHostVeth(vm.Address, ns, bridgeIndex);
            FaultPoints.Hit("create.veth");
            Join(inside!);
            if (tcLimits is not null)
            {
                Shape(inside!, tcLimits);
            }

            FaultPoints.Hit("create.datapath");
        }
    }

    /// <summary>
    /// Removes whatever exists of the VM's datapath, skipping missing pieces, so it also finishes a teardown that
    /// was cut short. Returns what it removed.
    /// </summary>
    /// <remarks>
    /// Unregistering a link costs about 17 ms here (the kernel waits out RCU grace periods), against 0.1 ms to
    /// unmount a namespace. So the host veth is only detached from its bridge (cheap, and it cuts the VM off at
    /// once, even if a VMM still holds the namespace), and the namespace is unmounted: the kernel then destroys
    /// the namespace with its TAP and both veth ends in one batch, a few milliseconds later. A namespace a live
    /// VMM still holds lingers until that process exits; its detached veth is removed by reconcile if it outlives it.
    /// </remarks>
    public IReadOnlyList<string> TearDown(VmState vm)
    {
        var removed = new List<string>();
        var hostVeth = VmAddressing.HostVeth(vm.Address);
        if (kernel.Rtnl(rtnl => Detach(rtnl, hostVeth)))
        {
            removed.Add($"link {hostVeth} (detached; freed with the namespace)");
        }

        FaultPoints.Hit("delete.veth");
        var name = VmAddressing.NamespaceName(VmId.Parse(vm.VmId));
        if (DeleteNamespace(name))
        {
            removed.Add($"namespace {name}");
        }

        FaultPoints.Hit("delete.namespace");
        return removed;
    }

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

    private void CreateHostVeth(uint address, NetworkNamespace ns, int bridgeIndex)
    {
        var spec = new LinkSpec(VmAddressing.HostVeth(address), new Veth(VmAddressing.VmVeth) { PeerNamespace = ns })
        {
            MasterIndex = bridgeIndex,
            Up = true,
        };
        kernel.Rtnl(rtnl =>
        {
            try
            {
                rtnl.Links.Create(spec);
            }
            catch (LinkExistsException)
            {
                // The name comes from an address leased to this VM alone, so a link holding it is the previous
                // holder's: a VM just deleted, whose namespace the kernel is still freeing with its veth (delete
                // leaves that to it), or an orphan of a crash. Replace it; if the kernel frees it first, the name
                // is free all the same.
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
    /// Brings tap0 and veth0 up and redirects every frame arriving on either to the other, in one send. Safe to
    /// repeat: it replaces what is there.
    /// </summary>
    private static void Join(Rtnl inside)
    {
        var links = inside.Links.List();
        var veth = links.Single(l => l.Name == VmAddressing.VmVeth);
        var tap = links.Single(l => l.Name == VmAddressing.TapDevice);
        inside.Execute(TcRequests.Join(new NetlinkRequest(), veth, tap));
    }

    /// <summary>Sets (or, with null, removes) the tc shaping of a running VM's devices.</summary>
    public void ApplyLimits(VmState vm, RateLimits? limits)
    {
        using var ns = NetworkNamespace.Open(VmAddressing.NamespaceName(VmId.Parse(vm.VmId)), kernel.NetnsDirectory);
        using var inside = Rtnl.Open(ns);
        Shape(inside, limits ?? new RateLimits());
    }

    /// <summary>
    /// Token-bucket filters where the guest's traffic leaves a device: tap0 carries what the guest receives,
    /// veth0 what it sends (the redirect from tap0 goes through veth0's egress qdisc). A direction without a
    /// bandwidth limit gets its default qdisc back.
    /// </summary>
    private static void Shape(Rtnl inside, RateLimits limits)
    {
        foreach (var (device, limiter) in new[] { (VmAddressing.TapDevice, limits.Rx), (VmAddressing.VmVeth, limits.Tx) })
        {
            if (limiter?.Bandwidth is { Size: > 0, RefillTime: > 0 } bucket)
            {
                var rate = (ulong)(bucket.Size * 1000 / bucket.RefillTime);
                // The bucket's own size is its burst; never below a few full frames, or TCP cannot keep up.
                var burst = (uint)Math.Clamp(Math.Max(bucket.Size, bucket.OneTimeBurst ?? 0), 16 * 1024, uint.MaxValue);
                inside.TrafficControl.ReplaceQdisc(device, new Tbf(Math.Max(rate, 1), burst, TimeSpan.FromMilliseconds(50)));
            }
            else if (inside.TrafficControl.ListQdiscs(device).Any(q => q.Kind == "tbf"))
            {
                inside.TrafficControl.DeleteQdisc(device, TcHandle.Root);
            }
        }
    }

    /// <summary>
    /// Makes a recorded VM whole again in place (its namespace exists): recreates a missing TAP (with its recorded
    /// owner and group, so a jailed VMM can still open it) or host veth, gives a TAP found with another owner or
    /// group the recorded ones, re-attaches the veth to its bridge, restores the redirect. A TAP that is there is
    /// never recreated, so a running VMM keeps its device. Returns what it repaired; empty when the VM was whole.
    /// </summary>
    public IReadOnlyList<string> Repair(VmState vm, int bridgeIndex, Link? hostVeth, RateLimits? tcLimits)
    {
        var repaired = new List<string>();
        using var ns = NetworkNamespace.Open(VmAddressing.NamespaceName(VmId.Parse(vm.VmId)), kernel.NetnsDirectory);
        using var inside = ns.Run(() =>
        {
            var rtnl = Rtnl.Open();
            var tap = rtnl.Links.TryGet(VmAddressing.TapDevice);
            if (tap is null)
            {
                Tuntap.CreatePersistentTap(VmAddressing.TapDevice, TapOptionsOf(vm));
                repaired.Add($"recreated {VmAddressing.TapDevice}");
            }
            else if (!HasRecordedOwnership(tap, vm.Options))
            {
                RestoreOwnership(vm.Options, repaired);
            }

            return rtnl;
        });

        var name = VmAddressing.HostVeth(vm.Address);
        if (hostVeth is null)
        {
            CreateHostVeth(vm.Address, ns, bridgeIndex);
            repaired.Add($"recreated veth {name}");
        }
        else if (hostVeth.MasterIndex != bridgeIndex || !hostVeth.IsUp)
        {
            kernel.Rtnl(rtnl =>
            {
                rtnl.Links.SetMaster(name, bridgeIndex);
                rtnl.Links.SetUp(name);
            });
            repaired.Add($"re-attached {name} to its bridge");
        }

        if (!IsJoined(inside))
        {
            Join(inside);
            repaired.Add($"restored the {VmAddressing.TapDevice}-{VmAddressing.VmVeth} redirect");
        }

        if (tcLimits is not null)
        {
            Shape(inside, tcLimits); // replaces what is there: a recreated device gets its shaping back
        }

        return repaired;
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
    private static void RestoreOwnership(VmOptions options, List<string> repaired)
    {
        try
        {
            Tuntap.SetOwnership(VmAddressing.TapDevice, options.TapOwner, options.TapGroup);
            repaired.Add($"restored {VmAddressing.TapDevice}'s owner/group ({Ownership(options)})");
        }
        catch (KernelObjectExistsException)
        {
            // EBUSY: attached by a VMM right now (see above); doctor still reports it.
        }
    }

    /// <summary>How doctor and reconcile write a TAP's ownership: <c>user 1000 group 1000</c>.</summary>
    public static string Ownership(VmOptions options)
        => string.Join(' ', new[] { options.TapOwner is { } u ? $"user {u}" : null, options.TapGroup is { } g ? $"group {g}" : null }.OfType<string>());

    private static bool IsJoined(Rtnl inside)
    {
        var links = inside.Links.List();
        var veth = links.SingleOrDefault(l => l.Name == VmAddressing.VmVeth);
        var tap = links.SingleOrDefault(l => l.Name == VmAddressing.TapDevice);
        return veth is { IsUp: true } && tap is { IsUp: true } &&
               inside.TrafficControl.ListFilters(veth.Name).Any(f => f.RedirectIndex == tap.Index) &&
               inside.TrafficControl.ListFilters(tap.Name).Any(f => f.RedirectIndex == veth.Index);
    }

    /// <summary>
    /// Deletes the host namespace's conntrack entries of an address about to be handed out again, so the new VM
    /// inherits no stale flow (or NAT mapping) of the one that held it before.
    /// </summary>
    public void ForgetFlows(uint address)
    {
        using var conntrack = Conntrack.Open(kernel.Namespace);
        conntrack.DeleteByAddress(Ipv4Network.ToAddress(address));
    }
}
