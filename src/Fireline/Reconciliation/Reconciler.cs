using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Firewall;
using Fireline.Host;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.Ownership;
using Fireline.Policy;
using Fireline.Sriov;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Reconciliation;

/// <summary>
/// Brings kernel and state back into agreement after a crash, a reboot or a hand edit: finishes or undoes
/// interrupted operations, repairs what records say should exist, drops records whose namespaces vanished,
/// and removes what is provably this instance's but unclaimed: links and VM namespaces that carry its mark
/// (<see cref="InstanceMark"/>) and are of the kind it makes. Nothing else is ever removed, whatever its name: a
/// new or empty state directory is a new instance and removes nothing. Unmarked devices that the records claim
/// (made by a Fireline older than marks) are adopted: marked, never removed.
/// </summary>
public sealed class Reconciler(IStateStore store, VmNetworks vms, WarmPool warmPool, VmDatapath datapath, HostDatapath host, HostFirewall firewall, SriovPool sriov, HostKernel kernel, InstanceMark mark)
{
    public ReconcileReport Run()
    {
        var actions = new List<ReconcileAction>();
        SettleInterrupted(actions);
        RepairHost(actions);
        // Taken before any VM is dropped: a dropped VM's devices are its own to clean, not orphans.
        var claimed = store.ListVms();
        var slotVeths = warmPool.Reconcile(claimed, actions);
        var links = host.Links();
        var orphanNamespaces = FindOrphanNamespaces(claimed);
        CheckVms(links, actions);
        sriov.Reconcile(actions);
        RemoveOrphans(links, claimed, slotVeths, orphanNamespaces, actions);
        if (store.GetHost() is not null && firewall.SyncElements())
        {
            actions.Add(new ReconcileAction("repair", "firewall", "set the VM and port-forward elements to what the records say"));
        }

        return new ReconcileReport(actions);
    }

    private void SettleInterrupted(List<ReconcileAction> actions)
    {
        foreach (var vm in store.ListVms().Where(v => v.Lifecycle != VmLifecycle.Ready))
        {
            using var held = vms.Lock(vm.VmId);
            var removed = vms.Settle(vm);
            actions.Add(new ReconcileAction(vm.Lifecycle == VmLifecycle.Creating ? "undo-create" : "finish-delete", vm.VmId.Value,
                (removed.Count == 0 ? "nothing was left in the kernel" : "removed " + string.Join(", ", removed)) +
                $"; released {Ipv4Network.Format(vm.Address)}"));
        }
    }

    private void RepairHost(List<ReconcileAction> actions)
    {
        var state = store.GetHost();
        if (state is null)
        {
            return;
        }

        var networks = store.ListNetworks();
        if (host.EnsureForwarding(networks.Any(n => n.Spec.Ipv6 is not null)))
        {
            actions.Add(new ReconcileAction("repair", "host", "turned forwarding and bridge netfilter back on"));
        }

        var bridges = new Dictionary<NetworkSpec, int>();
        foreach (var network in networks)
        {
            try
            {
                var bridge = host.EnsureBridge(network.Spec, claimed: true);
                bridges[network.Spec] = bridge.Index;
                if (bridge.Adopted)
                {
                    actions.Add(new ReconcileAction("adopt", $"network {network.Name}", $"marked bridge {network.Spec.Bridge} as this instance's (made before instance marks)"));
                }
                else if (bridge.Changed)
                {
                    actions.Add(new ReconcileAction("repair", $"network {network.Name}", $"restored bridge {network.Spec.Bridge} (present, up, gateway address)"));
                }
            }
            catch (FirelineException refused) when (refused.Code == DomainErrors.BridgeInUseCode)
            {
                // Someone else's bridge under the recorded name: left alone, and so are the network's VMs (below).
                actions.Add(new ReconcileAction("skip", $"network {network.Name}", refused.Message));
            }
        }

        RepairSegments(networks, actions);

        if (firewall.Verify(state, [.. networks.Select(n => n.Spec)]))
        {
            actions.Add(new ReconcileAction("repair", "firewall", $"rebuilt nftables tables {FirewallTables.Inet} and {FirewallTables.Bridge}"));
        }

        RepairVlans(state, bridges, actions);
    }

    /// <summary>
    /// Each network's further segments that hold a VM or a pool slot, or exist: made again when missing, their
    /// routes, gateway address and proxy ARP restored. Segment bridges of this instance that no network has are removed
    /// (their routes go with them); a link of a segment's name that is not this instance's is left alone, and said.
    /// </summary>
    private void RepairSegments(IReadOnlyList<NetworkState> networks, List<ReconcileAction> actions)
    {
        var links = host.Links();
        var used = store.ListVms().Select(v => (v.Network, v.Address)).Concat(store.ListSlots().Select(s => (s.Network, s.Address)))
            .ToLookup(u => u.Network, u => u.Address, StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in networks.Select(n => n.Spec).Where(s => NetworkSegments.Count(s.Subnet) > 1))
        {
            var existing = host.Segments(spec, links).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
            var segments = used[spec.Name].Select(a => NetworkSegments.Of(spec.Subnet, a))
                .Concat(Enumerable.Range(1, NetworkSegments.Count(spec.Subnet) - 1).Where(k => existing.Contains(NetworkSegments.Bridge(spec.Bridge, k))))
                .Where(k => k > 0).Distinct().Order();
            foreach (var segment in segments)
            {
                var name = NetworkSegments.Bridge(spec.Bridge, segment);
                kept.Add(name);
                try
                {
                    if (host.EnsureSegment(spec, segment).Changed)
                    {
                        actions.Add(new ReconcileAction("repair", $"network {spec.Name}", $"restored segment bridge {name} (present, up, route {NetworkSegments.Block(spec.Subnet, segment)}, proxy ARP)"));
                    }
                }
                catch (FirelineException refused) when (refused.Code == DomainErrors.BridgeInUseCode)
                {
                    actions.Add(new ReconcileAction("skip", $"network {spec.Name}", refused.Message));
                }
            }
        }

        foreach (var link in links.Where(l => NetworkSegments.IsFurtherBridgeName(l.Name) && !kept.Contains(l.Name) && mark.Judge(l, "bridge") == Owner.Ours &&
                                              !networks.Any(n => NetworkSegments.FurtherBridges(n.Spec.Bridge, n.Spec.Subnet).Contains(l.Name))))
        {
            if (kernel.Rtnl(rtnl => rtnl.Links.DeleteIfExists(link.Name)))
            {
                actions.Add(new ReconcileAction("remove-orphan", $"link {link.Name}", "a segment bridge of this instance no network has"));
            }
        }
    }

    /// <summary>
    /// The VLAN devices of networks whose bridge is this instance's, after the firewall (a device joins a bridge the
    /// firewall knows): made again when missing or on another parent than the uplink, put back on the bridge and up.
    /// </summary>
    private void RepairVlans(HostState state, Dictionary<NetworkSpec, int> bridges, List<ReconcileAction> actions)
    {
        foreach (var (spec, bridge) in bridges.Where(b => b.Key.Vlan is not null))
        {
            try
            {
                if (state.Uplink is { } uplink && host.EnsureVlan(spec, uplink, bridge))
                {
                    actions.Add(new ReconcileAction("repair", $"network {spec.Name}",
                        $"restored VLAN device {HostDatapath.VlanDevice(spec.Vlan!.Value)} (802.1Q id {spec.Vlan} on {uplink}, on bridge {spec.Bridge}, up)"));
                }
            }
            catch (FirelineException refused) when (refused.Kind is ErrorKind.Conflict or ErrorKind.InvalidInput)
            {
                // Someone else's link under the device's name, or no uplink: left alone, and said.
                actions.Add(new ReconcileAction("skip", $"network {spec.Name}", refused.Message));
            }
            catch (KernelException refused)
            {
                // An uplink that is down refuses a VLAN device up (ENETDOWN): the rest of the host is still repaired.
                actions.Add(new ReconcileAction("skip", $"network {spec.Name}", $"VLAN device {HostDatapath.VlanDevice(spec.Vlan!.Value)}: {refused.Message}"));
            }
        }
    }

    /// <summary>Ready VMs: drop those whose namespace vanished, repair those missing a piece.</summary>
    private void CheckVms(IReadOnlyList<Link> links, List<ReconcileAction> actions)
    {
        var byName = links.ToDictionary(l => l.Name, StringComparer.Ordinal);
        // Only this instance's bridges: a VM is never attached to someone else's bridge that has the recorded name.
        var networks = store.ListNetworks().ToDictionary(n => n.Name, n => n.Spec, StringComparer.Ordinal);
        // The bridge of the VM's segment (segment 0: the network's own).
        int BridgeOf(VmState vm)
        {
            var spec = networks[vm.Network];
            return byName.GetValueOrDefault(NetworkSegments.Bridge(spec.Bridge, NetworkSegments.Of(spec.Subnet, vm.Address))) is { } bridge &&
                   mark.Judge(bridge, "bridge") == Owner.Ours ? bridge.Index : 0;
        }

        foreach (var vm in store.ListVms().Where(v => v.Lifecycle == VmLifecycle.Ready))
        {
            using var held = vms.Lock(vm.VmId);
            var name = vm.Options.Attachment?.Netns ?? VmAddressing.NamespaceName(vm.VmId);
            var bridgeIndex = BridgeOf(vm);
            if (bridgeIndex == 0)
            {
                actions.Add(new ReconcileAction("skip", vm.VmId.Value, $"network {vm.Network}'s bridge is not this instance's; the VM was left as it is"));
                continue;
            }

            VmRepair? repair;
            try
            {
                var veth = byName.GetValueOrDefault(VmAddressing.HostVeth(vm.Address));
                repair = datapath.Repair(vm, bridgeIndex, veth, VmNetworks.TcLimits(networks[vm.Network], vm.Options));
            }
            catch (NamespaceNotFoundException)
            {
                // Unmounted or deleted behind Fireline's back: the VMM's network is gone with it.
                repair = null;
            }

            if (repair is null)
            {
                // Gone, or replaced by a namespace of that name that carries another mark (left alone by Settle).
                var removed = vms.Settle(vm);
                actions.Add(new ReconcileAction("drop-vanished", vm.VmId.Value,
                    $"namespace {name} is gone or not this instance's{(removed.Count > 0 ? "; removed " + string.Join(", ", removed) : "")}; released {Ipv4Network.Format(vm.Address)}"));
                continue;
            }

            if (repair.Adopted.Count > 0)
            {
                actions.Add(new ReconcileAction("adopt", vm.VmId.Value, $"marked {string.Join(", ", repair.Adopted)} as this instance's (made before instance marks)"));
            }

            if (repair.Repaired.Count > 0)
            {
                actions.Add(new ReconcileAction("repair", vm.VmId.Value, string.Join(", ", repair.Repaired)));
            }
        }
    }

    /// <summary>
    /// VM namespaces no record claims that carry this instance's mark: found before any orphan veth is deleted, since
    /// deleting the veth takes veth0 and its mark with it. Each candidate is one thread hop to read its devices.
    /// </summary>
    private List<string> FindOrphanNamespaces(IReadOnlyList<VmState> records)
    {
        var claimed = records.Select(v => VmAddressing.NamespaceName(v.VmId)).ToHashSet(StringComparer.Ordinal);
        var orphans = new List<string>();
        foreach (var name in NetworkNamespace.List(kernel.NetnsDirectory))
        {
            if (!name.StartsWith(VmAddressing.NamespacePrefix, StringComparison.Ordinal) || claimed.Contains(name) ||
                !VmId.IsValid(name[VmAddressing.NamespacePrefix.Length..]))
            {
                continue;
            }

            try
            {
                if (datapath.IsOurOrphan(name))
                {
                    orphans.Add(name);
                }
            }
            catch (KernelException)
            {
                // Going away meanwhile: not ours to judge.
            }
        }

        return orphans;
    }

    private void RemoveOrphans(IReadOnlyList<Link> links, IReadOnlyList<VmState> records, IReadOnlySet<string> slotVeths, List<string> orphanNamespaces, List<ReconcileAction> actions)
    {
        var claimed = records.Select(v => VmAddressing.HostVeth(v.Address)).Concat(slotVeths).ToHashSet(StringComparer.Ordinal);
        foreach (var link in links.Where(l => VmAddressing.IsHostVethName(l.Name) && !claimed.Contains(l.Name) && mark.Judge(l, "veth") == Owner.Ours))
        {
            if (kernel.Rtnl(rtnl => rtnl.Links.DeleteIfExists(link.Name)))
            {
                actions.Add(new ReconcileAction("remove-orphan", $"link {link.Name}", "a VM veth of this instance no record claims"));
            }
        }

        var vlans = store.ListNetworks().Select(n => n.Spec.Vlan).OfType<int>().ToHashSet();
        foreach (var link in links.Where(l => HostDatapath.VlanIdOf(l.Name) is { } id && !vlans.Contains(id) && mark.Judge(l, "vlan") == Owner.Ours))
        {
            if (host.DeleteVlan(HostDatapath.VlanIdOf(link.Name)!.Value))
            {
                actions.Add(new ReconcileAction("remove-orphan", $"link {link.Name}", "a VLAN device of this instance no network claims"));
            }
        }

        foreach (var name in orphanNamespaces)
        {
            if (datapath.DeleteNamespace(name))
            {
                actions.Add(new ReconcileAction("remove-orphan", $"namespace {name}", "it carries this instance's mark and no record claims it"));
            }
        }
    }
}
