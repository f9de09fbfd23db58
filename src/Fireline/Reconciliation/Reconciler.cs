using Fireline.Firewall;
using Fireline.Addressing;
using Fireline.Host;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.Policy;
using Fireline.Sriov;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Reconciliation;

/// <summary>
/// Brings kernel and state back into agreement after a crash, a reboot or a hand edit: finishes or undoes
/// interrupted operations, repairs what records say should exist, drops records whose namespaces vanished,
/// and removes what is provably this instance's but unclaimed. Another instance's objects are never touched:
/// a VM namespace counts as ours only when its veth peer sits in our host namespace or our records name it.
/// </summary>
public sealed class Reconciler(IStateStore store, VmNetworks vms, VmDatapath datapath, HostDatapath host, HostFirewall firewall, SriovPool sriov, HostKernel kernel)
{
    public ReconcileReport Run()
    {
        var actions = new List<ReconcileAction>();
        SettleInterrupted(actions);
        RepairHost(actions);
        var links = host.Links();
        // Taken before any VM is dropped: a dropped VM's devices are its own to clean, not orphans.
        var claimed = store.ListVms();
        var orphanNamespaces = FindOrphanNamespaces(links, claimed);
        CheckVms(links, actions);
        sriov.Reconcile(actions);
        RemoveOrphans(links, claimed, orphanNamespaces, actions);
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
            actions.Add(new ReconcileAction(vm.Lifecycle == VmLifecycle.Creating ? "undo-create" : "finish-delete", vm.VmId,
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

        foreach (var network in networks)
        {
            if (host.EnsureBridge(network.Spec).Changed)
            {
                actions.Add(new ReconcileAction("repair", $"network {network.Name}", $"restored bridge {network.Spec.Bridge} (present, up, gateway address)"));
            }
        }

        if (firewall.Verify(state, [.. networks.Select(n => n.Spec)]))
        {
            actions.Add(new ReconcileAction("repair", "firewall", $"rebuilt nftables tables {FirewallTables.Inet} and {FirewallTables.Bridge}"));
        }
    }

    /// <summary>Ready VMs: drop those whose namespace vanished, repair those missing a piece.</summary>
    private void CheckVms(IReadOnlyList<Link> links, List<ReconcileAction> actions)
    {
        var byName = links.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var bridges = store.ListNetworks().ToDictionary(n => n.Name, n => byName.GetValueOrDefault(n.Spec.Bridge)?.Index ?? 0, StringComparer.Ordinal);
        foreach (var vm in store.ListVms().Where(v => v.Lifecycle == VmLifecycle.Ready))
        {
            using var held = vms.Lock(vm.VmId);
            var name = VmAddressing.NamespaceName(VmId.Parse(vm.VmId));
            IReadOnlyList<string> repaired;
            try
            {
                var veth = byName.GetValueOrDefault(VmAddressing.HostVeth(vm.Address));
                repaired = datapath.Repair(vm, bridges[vm.Network], veth, VmNetworks.TcLimits(store.GetNetwork(vm.Network)!.Spec, vm.Options));
            }
            catch (NamespaceNotFoundException)
            {
                // Unmounted or deleted behind Fireline's back: the VMM's network is gone with it.
                var removed = vms.Settle(vm);
                actions.Add(new ReconcileAction("drop-vanished", vm.VmId,
                    $"namespace {name} is gone{(removed.Count > 0 ? "; removed " + string.Join(", ", removed) : "")}; released {Ipv4Network.Format(vm.Address)}"));
                continue;
            }

            if (repaired.Count > 0)
            {
                actions.Add(new ReconcileAction("repair", vm.VmId, string.Join(", ", repaired)));
            }
        }
    }

    /// <summary>
    /// VM namespaces no record claims whose veth peer is in our host namespace: found before any orphan veth is
    /// deleted, since deleting the veth removes the evidence.
    /// </summary>
    private List<string> FindOrphanNamespaces(IReadOnlyList<Link> links, IReadOnlyList<VmState> records)
    {
        var claimed = records.Select(v => VmAddressing.NamespaceName(VmId.Parse(v.VmId))).ToHashSet(StringComparer.Ordinal);
        var peerIds = links.Where(l => VmAddressing.IsHostVethName(l.Name) && l.Kind == "veth" && l.LinkNamespaceId is not null).Select(l => l.LinkNamespaceId!.Value).ToHashSet();
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
                using var ns = NetworkNamespace.Open(name, kernel.NetnsDirectory);
                if (kernel.Rtnl(rtnl => rtnl.NamespaceIds.GetId(ns)) is { } id && peerIds.Contains(id))
                {
                    orphans.Add(name);
                }
            }
            catch (KernelException)
            {
                // Gone meanwhile, or not a namespace (a bare file another instance is mounting on): not ours to judge.
            }
        }

        return orphans;
    }

    private void RemoveOrphans(IReadOnlyList<Link> links, IReadOnlyList<VmState> records, List<string> orphanNamespaces, List<ReconcileAction> actions)
    {
        var claimed = records.Select(v => VmAddressing.HostVeth(v.Address)).ToHashSet(StringComparer.Ordinal);
        foreach (var link in links.Where(l => VmAddressing.IsHostVethName(l.Name) && !claimed.Contains(l.Name)))
        {
            if (kernel.Rtnl(rtnl => rtnl.Links.DeleteIfExists(link.Name)))
            {
                actions.Add(new ReconcileAction("remove-orphan", $"link {link.Name}", "a VM veth no record claims"));
            }
        }

        foreach (var name in orphanNamespaces)
        {
            if (datapath.DeleteNamespace(name))
            {
                actions.Add(new ReconcileAction("remove-orphan", $"namespace {name}", "its veth peer was in this host namespace and no record claims it"));
            }
        }
    }
}
