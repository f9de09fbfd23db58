using Fireline.Host;
using Fireline.Reconciliation;
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

    /// <summary><c>fireline reconcile</c>: finishes or undoes interrupted operations and removes orphans.</summary>
    ReconcileReport Reconcile();
}
