using System.Diagnostics;
using Fireline.Addressing;
using Fireline.Doctor;
using Fireline.Errors;
using Fireline.Firewall;
using Fireline.Host;
using Fireline.Ipam;
using Fireline.Kernel;
using Fireline.Metrics;
using Fireline.Networks;
using Fireline.Ownership;
using Fireline.Policy;
using Fireline.Reconciliation;
using Fireline.Sriov;
using Fireline.State;
using Fireline.Tuning;
using Fireline.Vms;

namespace Fireline.Service;

/// <summary>
/// Fireline in-process: owns the state directory (its lock and database) and the host namespace's
/// connections, and wires the domain's parts together. The CLI uses it directly; the daemon serves it.
/// </summary>
public sealed class FirelineEngine : IFirelineService, IMetricsEndpoint, IDisposable
{
    private readonly StateDirectoryLock _lock;
    private readonly IStateStore _store;
    private readonly HostKernel _kernel;
    private readonly HostSetup _host;
    private readonly VmNetworks _vms;
    private readonly Reconciler _reconciler;
    private readonly NetworkService _networks;
    private readonly VmStatistics _statistics;
    private readonly CapacityReader _capacity;
    private readonly Checkup _checkup;
    private readonly HostTuner _tuner;
    private readonly IOperationObserver? _observer;
    private readonly Lazy<FirelineMetrics> _metrics;

    private FirelineEngine(StateDirectoryLock stateLock, IStateStore store, HostKernel kernel, EngineOptions options)
    {
        _lock = stateLock;
        _store = store;
        _kernel = kernel;
        _observer = options.Metrics;
        _metrics = new Lazy<FirelineMetrics>(() => options.Metrics ?? new FirelineMetrics());
        var pools = new NetworkPools(store);
        var mark = InstanceMark.Load(store);
        var hostDatapath = new HostDatapath(kernel, mark, store);
        var firewall = new HostFirewall(kernel, store, mark);
        var datapath = new VmDatapath(kernel, mark);
        var validator = new NetworkValidator(store, hostDatapath, kernel);
        _host = new HostSetup(store, pools, hostDatapath, firewall, validator);
        var sriov = new SriovPool(store, kernel, options.SysfsRoot);
        _vms = new VmNetworks(store, pools, datapath, hostDatapath, firewall, sriov, kernel.NetnsDirectory);
        _networks = new NetworkService(store, pools, hostDatapath, firewall, validator);
        _reconciler = new Reconciler(store, _vms, datapath, hostDatapath, firewall, sriov, kernel, mark);
        _statistics = new VmStatistics(kernel);
        _capacity = new CapacityReader(store, pools, kernel);
        _checkup = new Checkup(store, kernel, hostDatapath, firewall);
        _tuner = new HostTuner(kernel, options.SysctlDirectory);
    }

    /// <summary>
    /// Takes the state directory's lock and opens the state; throws a domain error when another process holds it, or
    /// when a native library it needs is missing (<c>missing-library</c>).
    /// </summary>
    public static FirelineEngine Open(EngineOptions options)
    {
        var stateLock = StateDirectoryLock.Acquire(options.StateDirectory, options.LockHolder, options.LockHolder == "cli" ? options.LockWait : TimeSpan.Zero);
        SqliteStateStore? store = null;
        try
        {
            store = new SqliteStateStore(Path.Combine(options.StateDirectory, "fireline.db"));
            return new FirelineEngine(stateLock, store, new HostKernel(options.HostNamespace, options.NetnsDirectory), options);
        }
        catch (Exception error)
        {
            store?.Dispose();
            stateLock.Dispose();
            // The store is where a native library is first loaded (SQLite's); the kernel boundary needs only libc.
            if (MissingLibrary.Explain(error) is { } missing)
            {
                throw missing;
            }

            throw;
        }
    }

    public HostStatus InitHost(HostInitRequest request) => _host.Init(request);

    public HostStatus GetHostStatus() => _host.Status();

    public VmRecord CreateVm(VmCreateRequest request) => Observe("create", () => _vms.Create(request));

    public VmDeleteResult DeleteVm(string vmId) => Observe("delete", () => _vms.Delete(vmId));

    public VmRecord GetVm(string vmId) => _vms.Get(vmId);

    public IReadOnlyList<VmRecord> ListVms() => _vms.List();

    public VmRecord SetRateLimits(string vmId, RateLimits? limits) => _vms.SetLimits(vmId, limits);

    public PortForward ForwardPort(string vmId, string protocol, int hostPort, int vmPort, bool allowPrivilegedPort = false)
        => _vms.Forward(vmId, protocol, hostPort, vmPort, allowPrivilegedPort);

    public NetworkPlan ApplyNetworks(NetworkFile file, bool dryRun, bool prune) => _networks.Apply(file, dryRun, prune);

    public NetworkPlan ApplyNetworks(string yaml, bool dryRun, bool prune) => ApplyNetworks(NetworkFile.Parse(yaml), dryRun, prune);

    public IReadOnlyList<NetworkView> ListNetworks() => _networks.List();

    public NetworkView GetNetwork(string name) => _networks.Show(name);

    public NetworkView DeleteNetwork(string name) => _networks.Delete(name);

    public ReconcileReport Reconcile()
    {
        var report = Observe("reconcile", _reconciler.Run);
        _observer?.Reconciled(report);
        return report;
    }

    public VmStats GetStats(string vmId)
    {
        var id = VmId.Parse(vmId);
        var vm = _store.GetVm(id) is { Lifecycle: VmLifecycle.Ready } ready ? ready : throw DomainErrors.VmNotFound(id.Value);
        return _statistics.Read(vm);
    }

    public IReadOnlyList<VmStats> ListStats() => _statistics.ReadAll(_store.ListVms());

    public DoctorReport Doctor(string? vmId) => _checkup.Run(vmId);

    public TuneReport Tune(bool apply, bool write) => _tuner.Tune(apply, write);

    /// <summary>Per-VM counters and capacity read now, with the operation metrics recorded so far (<see cref="EngineOptions.Metrics"/>).</summary>
    public string RenderPrometheusText() => _metrics.Value.Render(() => (ListStats(), _capacity.Read()));

    /// <summary>Times an operation for the observer, when there is one; failures count by their domain error code.</summary>
    private T Observe<T>(string operation, Func<T> work)
    {
        if (_observer is null)
        {
            return work();
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = work();
            _observer.Completed(operation, Stopwatch.GetElapsedTime(started), null);
            return result;
        }
        catch (Exception error)
        {
            var code = error switch
            {
                FirelineException failure => failure.Code,
                Linux.KernelException => "kernel-error",
                _ => "internal-error",
            };
            _observer.Completed(operation, Stopwatch.GetElapsedTime(started), code);
            throw;
        }
    }

    public void Dispose()
    {
        _kernel.Dispose();
        _store.Dispose();
        _lock.Dispose();
    }
}
