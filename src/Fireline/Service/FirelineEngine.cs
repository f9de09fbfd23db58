using Fireline.Host;
using Fireline.Ipam;
using Fireline.Kernel;
using Fireline.Networks;
using Fireline.Policy;
using Fireline.Reconciliation;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Service;

/// <summary>
/// Fireline in-process: owns the state directory (its lock and database) and the host namespace's
/// connections, and wires the domain's parts together. The CLI uses it directly; the daemon serves it.
/// </summary>
public sealed class FirelineEngine : IFirelineService, IDisposable
{
    private readonly StateDirectoryLock _lock;
    private readonly IStateStore _store;
    private readonly HostKernel _kernel;
    private readonly HostSetup _host;
    private readonly VmNetworks _vms;
    private readonly Reconciler _reconciler;
    private readonly NetworkService _networks;

    private FirelineEngine(StateDirectoryLock stateLock, IStateStore store, HostKernel kernel)
    {
        _lock = stateLock;
        _store = store;
        _kernel = kernel;
        var pools = new NetworkPools(store);
        var hostDatapath = new HostDatapath(kernel);
        var firewall = new Firewall(kernel, store);
        var datapath = new VmDatapath(kernel);
        _host = new HostSetup(store, pools, hostDatapath, firewall);
        _vms = new VmNetworks(store, pools, datapath, hostDatapath, firewall, kernel.NetnsDirectory);
        _networks = new NetworkService(store, pools, hostDatapath, firewall, kernel);
        _reconciler = new Reconciler(store, _vms, datapath, hostDatapath, firewall, kernel);
    }

    /// <summary>Takes the state directory's lock and opens the state; throws a domain error when another process holds it.</summary>
    public static FirelineEngine Open(EngineOptions options)
    {
        var stateLock = StateDirectoryLock.Acquire(options.StateDirectory, options.LockHolder, options.LockHolder == "cli" ? options.LockWait : TimeSpan.Zero);
        try
        {
            var store = new SqliteStateStore(Path.Combine(options.StateDirectory, "fireline.db"));
            return new FirelineEngine(stateLock, store, new HostKernel(options.HostNamespace, options.NetnsDirectory));
        }
        catch
        {
            stateLock.Dispose();
            throw;
        }
    }

    public HostStatus InitHost(HostInitRequest request) => _host.Init(request);

    public HostStatus GetHostStatus() => _host.Status();

    public VmRecord CreateVm(VmCreateRequest request) => _vms.Create(request);

    public VmDeleteResult DeleteVm(string vmId) => _vms.Delete(vmId);

    public VmRecord GetVm(string vmId) => _vms.Get(vmId);

    public IReadOnlyList<VmRecord> ListVms() => _vms.List();

    public VmRecord SetRateLimits(string vmId, RateLimits? limits) => _vms.SetLimits(vmId, limits);

    public PortForward ForwardPort(string vmId, string protocol, int hostPort, int vmPort) => _vms.Forward(vmId, protocol, hostPort, vmPort);

    public NetworkPlan ApplyNetworks(string yaml, bool dryRun, bool prune) => _networks.Apply(yaml, dryRun, prune);

    public IReadOnlyList<NetworkView> ListNetworks() => _networks.List();

    public NetworkView GetNetwork(string name) => _networks.Show(name);

    public NetworkView DeleteNetwork(string name) => _networks.Delete(name);

    public ReconcileReport Reconcile() => _reconciler.Run();

    public void Dispose()
    {
        _kernel.Dispose();
        _store.Dispose();
        _lock.Dispose();
    }
}
