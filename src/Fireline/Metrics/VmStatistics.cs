using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Metrics;

/// <summary>
/// Reads VMs' TAP counters over rtnetlink inside each VM's namespace: the TAP lives there, and the host's /sys
/// (which shows the host namespace's links) never sees it. One namespace visit per VM: one rtnetlink socket
/// opened in there and one RTM_GETLINK for the TAP.
/// </summary>
public sealed class VmStatistics(HostKernel kernel)
{
    /// <summary>Namespaces visited per thread hop: few enough that their sockets' buffers stay small together.</summary>
    private const int BatchSize = 64;

    /// <summary>The VM's counters; a missing namespace or TAP is a kernel error naming it (run reconcile).</summary>
    public VmStats Read(VmState vm)
    {
        try
        {
            using var vmNamespace = kernel.OpenVm(vm);
            return From(vm, vmNamespace.Rtnl.Links.Get(vm.TapName, withStatistics: true));
        }
        catch (KernelException error)
        {
            throw DomainErrors.Kernel($"reading the counters of VM '{vm.VmId}' ({vm.TapName} in {vm.NamespacePath(kernel.NetnsDirectory)}; 'fireline reconcile' rebuilds a missing one)", error);
        }
    }

    /// <summary>
    /// Every ready VM's counters. VMs are visited in batches: one thread hop opens a socket inside each
    /// namespace of a batch, then each socket asks for its TAP. A VM whose namespace or TAP vanished since the
    /// list was read (deleted meanwhile, or broken: <c>fireline doctor</c> says which) is left out rather than
    /// failing the whole list.
    /// </summary>
    public IReadOnlyList<VmStats> ReadAll(IReadOnlyList<VmState> vms)
    {
        var stats = new List<VmStats>(vms.Count);
        foreach (var batch in vms.Where(v => v.Lifecycle == VmLifecycle.Ready).Chunk(BatchSize))
        {
            var open = new List<(VmState Vm, VmNamespace Namespace)>(batch.Length);
            try
            {
                foreach (var vm in batch)
                {
                    // One deleted after the list was read has no counters any more.
                    if (kernel.TryOpenVm(vm) is { } vmNamespace)
                    {
                        open.Add((vm, vmNamespace));
                    }
                }

                var connections = Rtnl.OpenEach([.. open.Select(o => o.Namespace.Namespace)]);
                try
                {
                    for (var i = 0; i < connections.Count; i++)
                    {
                        if (connections[i].Links.TryGet(open[i].Vm.TapName, withStatistics: true) is { Statistics: not null } tap)
                        {
                            stats.Add(From(open[i].Vm, tap));
                        }
                    }
                }
                finally
                {
                    foreach (var connection in connections)
                    {
                        connection.Dispose();
                    }
                }
            }
            finally
            {
                foreach (var (_, ns) in open)
                {
                    ns.Dispose();
                }
            }
        }

        return stats;
    }

    /// <summary>
    /// The TAP's counters since it became this VM's (a warm-pool slot's TAP carries what it had counted before: see
    /// <see cref="CounterBaseline"/>), turned to the guest's point of view (see <see cref="VmStats"/>).
    /// </summary>
    private static VmStats From(VmState vm, Link link)
    {
        var tap = CounterBaseline.Since(link.Statistics ?? throw new KernelException((int)Errno.ENODATA, $"ip -s link show {vm.TapName}", vm.TapName, "no IFLA_STATS64 in the reply"), link.Alias);
        return new VmStats
        {
            VmId = vm.VmId.Value,
            Network = vm.Network,
            RxBytes = tap.TxBytes,
            TxBytes = tap.RxBytes,
            RxPackets = tap.TxPackets,
            TxPackets = tap.RxPackets,
            RxDropped = tap.TxDropped,
            TxDropped = tap.RxDropped,
            RxErrors = tap.TxErrors,
            TxErrors = tap.RxErrors,
        };
    }
}
