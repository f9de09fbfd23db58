using Fireline.Doctor;
using Fireline.Host;
using Fireline.Metrics;
using Fireline.Networks;
using Fireline.Policy;
using Fireline.Reconciliation;
using Fireline.Tuning;
using Fireline.Vms;

namespace Fireline.Service;

/// <summary>
/// What Fireline does, as the CLI and the daemon's API see it. The engine implements it in-process; the
/// daemon client implements it over the Unix socket; the CLI prints the same results either way.
/// </summary>
public interface IFirelineService
{
    /// <summary><c>fireline host init</c>: forwarding, the default network's bridge and gateway, NAT. Idempotent.</summary>
    HostStatus InitHost(HostInitRequest request);

    /// <summary><c>fireline host status</c></summary>
    HostStatus GetHostStatus();

    /// <summary><c>fireline vm create</c>: idempotent for the same id and options; a conflict otherwise.</summary>
    VmRecord CreateVm(VmCreateRequest request);

    /// <summary><c>fireline vm delete</c>: removes everything of the VM; succeeds when it is already gone.</summary>
    VmDeleteResult DeleteVm(string vmId);

    VmRecord GetVm(string vmId);

    IReadOnlyList<VmRecord> ListVms();

    /// <summary><c>fireline vm limit</c>: replaces a VM's rate limits (null: none).</summary>
    VmRecord SetRateLimits(string vmId, RateLimits? limits);

    /// <summary>
    /// <c>fireline vm policy</c>: replaces a VM's own policy rules (empty: none), evaluated before its network's.
    /// Touches only that VM's chains and map elements, in one transaction.
    /// </summary>
    VmRecord SetVmPolicies(string vmId, IReadOnlyList<PolicyRule> rules);

    /// <summary>
    /// <c>fireline vm forward</c>: a host port on the uplink address forwarded to a VM port. A host port below 1024
    /// needs <paramref name="allowPrivilegedPort"/>; one a host service listens on is refused.
    /// </summary>
    PortForward ForwardPort(string vmId, ForwardRequest request);

    /// <summary><c>fireline network apply</c>: declarative networks and policies; with dryRun only the plan.</summary>
    NetworkPlan ApplyNetworks(NetworkFile file, bool dryRun, bool prune);

    /// <summary><c>fireline network apply</c> of a file's text, parsed first.</summary>
    NetworkPlan ApplyNetworks(string yaml, bool dryRun, bool prune) => ApplyNetworks(NetworkFile.Parse(yaml), dryRun, prune);

    IReadOnlyList<NetworkView> ListNetworks();

    NetworkView GetNetwork(string name);

    /// <summary><c>fireline network delete</c>: refused while VMs use the network.</summary>
    NetworkView DeleteNetwork(string name);

    /// <summary><c>fireline reconcile</c>: finishes or undoes interrupted operations and removes orphans.</summary>
    ReconcileReport Reconcile();

    /// <summary><c>fireline stats VMID</c>: the VM's TAP counters, directions as the guest sees them.</summary>
    VmStats GetStats(string vmId);

    /// <summary><c>fireline stats</c>: every ready VM's counters.</summary>
    IReadOnlyList<VmStats> ListStats();

    /// <summary><c>fireline doctor [VMID]</c>: the troubleshooting checklist, run; the host's checks and every VM's (or one VM's).</summary>
    DoctorReport Doctor(string? vmId);

    /// <summary>
    /// <c>fireline host tune [--apply] [--write]</c>: the sysctl profile as a diff; applied, and/or written as its one
    /// sysctl.d file (<see cref="TuningFile"/>; never a file a caller names).
    /// </summary>
    TuneReport Tune(bool apply, bool write);
}
