using System.Diagnostics;
using Fireline.Addressing;
using Fireline.Attachments;
using Fireline.Concurrency;
using Fireline.Doctor;
using Fireline.Errors;
using Fireline.Firewall;
using Fireline.Host;
using Fireline.Ipam;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
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
/// Fireline in-process: owns the state directory (its lock and database), the host namespace and its
/// connections, and wires the domain's parts together. The CLI and the demo use it directly; the daemon serves
/// it. It is the boundary every host goes through, so each gets the same from it: operations ordered among
/// threads (<see cref="EngineGate"/>), and domain errors only, a kernel failure as <c>kernel-error</c>.
/// </summary>
public sealed class FirelineEngine : IFirelineService, IMetricsEndpoint, IDisposable
{
    private readonly StateDirectoryLock _lock;
    private readonly IStateStore _store;
    private readonly HostKernel _kernel;
    private readonly bool _hostNamed;
    private readonly EngineGate _gate = new();
    private readonly HostSetup _host;
    private readonly VmNetworks _vms;
    private readonly WarmPool _warmPool;

    private readonly PoolWorker _poolWorker;
    private readonly Reconciler _reconciler;
    private readonly NetworkService _networks;
    private readonly VmStatistics _statistics;
    private readonly CapacityReader _capacity;
    private readonly Checkup _checkup;
    private readonly VmAttachments _attachments;
    private readonly Lock _teardownLock = new();
    private Task _teardowns = Task.CompletedTask;
    private readonly HostTuner _tuner;
    private readonly IOperationObserver? _observer;
    private readonly Lazy<FirelineMetrics> _metrics;
    private readonly Cluster.IVmEndpoints? _endpoints;
    private readonly Cluster.ClusterDatapath? _clusterDatapath;
    private readonly Cluster.ClusterNetworkService? _clusterNetworks;

    private FirelineEngine(StateDirectoryLock stateLock, IStateStore store, HostKernel kernel, EngineOptions options)
    {
        _lock = stateLock;
        _store = store;
        _kernel = kernel;
        _hostNamed = options.HostNamespace is not null || options.HostNamespaceName is not null;
        _observer = options.Metrics;
        _metrics = new Lazy<FirelineMetrics>(() => options.Metrics ?? new FirelineMetrics());
        var pools = new NetworkPools(store, options.AddressBlocks);
        var mark = InstanceMark.Load(store);
        var hostDatapath = new HostDatapath(kernel, mark, store);
        var firewall = new HostFirewall(kernel, store, mark);
        var datapath = new VmDatapath(kernel, mark);
        var validator = new NetworkValidator(store, pools, hostDatapath, kernel);
        _host = new HostSetup(store, pools, hostDatapath, firewall, validator);
        var sriov = new SriovPool(store, kernel, options.SysfsRoot);
        _warmPool = new WarmPool(store, pools, datapath, hostDatapath, options.PoolQuietPeriod);
        _vms = new VmNetworks(store, pools, _warmPool, datapath, hostDatapath, firewall, sriov, kernel.NetnsDirectory, options.Metrics);
        _networks = new NetworkService(store, pools, _warmPool, hostDatapath, firewall, validator);
        _reconciler = new Reconciler(store, _vms, _warmPool, datapath, hostDatapath, firewall, sriov, kernel, mark);
        // A CLI call finishes its pool work (a scrub, a refill) before the process ends; the daemon stops it.
        _poolWorker = new PoolWorker(finishing => Shared(() => _warmPool.Step(finishing), "pool-step"), finishOnDispose: options.LockHolder != "daemon");
        _statistics = new VmStatistics(kernel);
        _capacity = new CapacityReader(store, pools, _warmPool, kernel);
        _checkup = new Checkup(store, kernel, hostDatapath, firewall, _warmPool);
        _attachments = new VmAttachments(store, _vms, _checkup);
        _tuner = new HostTuner(kernel, options.SysctlDirectory);
        _endpoints = options.Endpoints;
        _clusterDatapath = options.Cluster is { } node ? new Cluster.ClusterDatapath(kernel, store, hostDatapath, firewall, mark, node) : null;
        _clusterNetworks = options.NetworkDefinitions is { } definitions ? new Cluster.ClusterNetworkService(definitions, _networks, store) : null;
    }

    /// <summary>
    /// Opens the host namespace (<see cref="EngineOptions.HostNamespaceName"/>), takes the state directory's lock and
    /// opens the state; throws a domain error when the namespace does not exist, when another process holds the
    /// state, or when a native library it needs is missing (<c>missing-library</c>).
    /// </summary>
    public static FirelineEngine Open(EngineOptions options)
    {
        // The namespace first: a wrong name is bad input, told before waiting for another process's lock.
        var named = OpenHostNamespace(options.HostNamespaceName);
        StateDirectoryLock? stateLock = null;
        SqliteStateStore? store = null;
        HostKernel? kernel = null;
        try
        {
            stateLock = StateDirectoryLock.Acquire(options.StateDirectory, options.LockHolder, options.LockHolder == "cli" ? options.LockWait : TimeSpan.Zero);
            store = new SqliteStateStore(Path.Combine(options.StateDirectory, "fireline.db"));
            kernel = new HostKernel(named ?? options.HostNamespace, options.NetnsDirectory, ownsNamespace: named is not null);
            named = null; // the kernel's now
            return new FirelineEngine(stateLock, store, kernel, options);
        }
        catch (Exception error)
        {
            named?.Dispose();
            kernel?.Dispose();
            store?.Dispose();
            stateLock?.Dispose();
            // The store is where a native library is first loaded (SQLite's); the kernel boundary needs only libc.
            if (MissingLibrary.Explain(error) is { } missing)
            {
                throw missing;
            }

            if (error is KernelException failure)
            {
                throw DomainErrors.KernelCallFailed(failure);
            }

            throw;
        }
    }

    public HostStatus InitHost(HostInitRequest request) => Exclusive(() => _host.Init(request));

    public HostStatus GetHostStatus() => Shared(_host.Status);

    /// <summary>In cluster mode the VM is published as an endpoint once it is whole (see <see cref="Cluster.IVmEndpoints"/>).</summary>
    public VmRecord CreateVm(VmCreateRequest request) => SchedulePoolWork(Published(Shared(() => _vms.Create(request), "create")));

    public VmDeleteResult DeleteVm(string vmId) => SchedulePoolWork(Withdrawn(vmId, Shared(() => _vms.Delete(vmId), "delete")));

    /// <summary>
    /// Cluster mode: makes the cross-node data path (VXLAN devices, FDB and neighbour entries, the firewall's remote
    /// elements) what the cluster's endpoints call for; beside VM operations, one converge at a time.
    /// <paramref name="vni"/> gives the VNI of a network's segment.
    /// </summary>
    public void ConvergeCluster(IReadOnlyList<Cluster.ClusterEndpoint> endpoints, Func<string, int, int> vni)
        => Shared(() => { (_clusterDatapath ?? throw Cluster.ClusterErrors.NotClustered()).Converge(endpoints, vni); return true; });

    public VmRecord GetVm(string vmId) => Shared(() => _vms.Get(vmId));

    public IReadOnlyList<VmRecord> ListVms() => Shared(_vms.List);

    public VmRecord SetRateLimits(string vmId, RateLimits? limits) => Shared(() => _vms.SetLimits(vmId, limits));

    public VmRecord SetVmPolicies(string vmId, IReadOnlyList<PolicyRule> rules) => Shared(() => _vms.SetPolicies(vmId, rules));

    public PortForward ForwardPort(string vmId, ForwardRequest request)
        => Shared(() => _vms.Forward(vmId, request));

    /// <summary>
    /// CNI ADD: a VM whose devices go into the runtime's namespace (<see cref="VmAttachments.Attach"/>); in cluster mode
    /// published as an endpoint at once, as a create's VM is (its id is the container id).
    /// </summary>
    public AttachmentRecord Attach(AttachRequest request) => Shared(() =>
    {
        var attached = _attachments.Attach(request);
        if (_endpoints is not null)
        {
            Published(_vms.Get(attached.Attachment.ContainerId));
        }

        return attached;
    }, "cni-add");

    /// <summary>CNI DEL: removes the attachment if there is one; never a VM of the API or CLI (whose endpoint stays).</summary>
    public AttachmentDeleteResult Detach(string containerId, string ifName, string? cniNetwork)
    {
        var result = ScheduleTeardowns(Shared(() => _attachments.Detach(containerId, ifName, cniNetwork), "cni-del"));
        return result.Deleted ? Withdrawn(containerId, result) : result;
    }

    /// <summary>CNI CHECK: the attachment and what is wrong with it.</summary>
    public AttachmentCheck CheckAttachment(string containerId, string ifName, string? cniNetwork)
        => Shared(() => _attachments.Check(containerId, ifName, cniNetwork));

    /// <summary>CNI GC: removes the CNI network's attachments the runtime no longer lists.</summary>
    public AttachmentGcResult CollectAttachments(AttachmentGcRequest request)
    {
        var result = ScheduleTeardowns(Shared(() => _attachments.Collect(request), "cni-gc"));
        foreach (var containerId in result.Removed)
        {
            Withdrawn(containerId, result);
        }

        return result;
    }

    /// <summary>In cluster mode a change (not a dry run) is defined for every node (<see cref="Cluster.ClusterNetworkService"/>).</summary>
    public NetworkPlan ApplyNetworks(NetworkFile file, bool dryRun, bool prune)
        => SchedulePoolWork(Exclusive(() => _clusterNetworks is { } cluster && !dryRun ? cluster.Apply(file, prune) : _networks.Apply(file, dryRun, prune)));

    /// <summary>The text is parsed before the operation waits its turn: a big or bad file never holds up other calls.</summary>
    public NetworkPlan ApplyNetworks(string yaml, bool dryRun, bool prune) => ApplyNetworks(NetworkFile.Parse(yaml), dryRun, prune);

    /// <summary>
    /// One network created or updated (an apply of a file naming only it: the others stay as they are), and the
    /// network as it then is, in one turn; <c>created</c> when it is new.
    /// </summary>
    public (NetworkView Network, bool Created) PutNetwork(NetworkFile file, string name) => SchedulePoolWork(Exclusive(() =>
    {
        var plan = _clusterNetworks?.Apply(file, prune: false) ?? _networks.Apply(file, dryRun: false, prune: false);
        return (_networks.Show(name), plan.Changes.Any(c => c.Network == name && c.Action == "create"));
    }));

    public IReadOnlyList<NetworkView> ListNetworks() => Shared(_networks.List);

    public NetworkView GetNetwork(string name) => Shared(() => _networks.Show(name));

    public NetworkView DeleteNetwork(string name) => Exclusive(() => _clusterNetworks?.Delete(name) ?? _networks.Delete(name));

    /// <summary>
    /// Cluster mode: makes this node's networks what the cluster defines (<see cref="Cluster.ClusterNetworkService.Follow"/>);
    /// decided beside other operations, changed alone, so a read that finds nothing to do never holds up a create.
    /// Returns the problems met (invalid definitions, networks this node refused), for the log.
    /// </summary>
    public IReadOnlyList<string> FollowNetworks(Cluster.NetworkDefinitions definitions)
    {
        var cluster = _clusterNetworks ?? throw Cluster.ClusterErrors.NotClustered();
        var plan = Shared(() => cluster.Plan(definitions));
        return plan.Changes ? SchedulePoolWork(Exclusive(() => cluster.Follow(cluster.Plan(definitions)))) : plan.Problems;
    }

    public ReconcileReport Reconcile() => SchedulePoolWork(Exclusive(() =>
    {
        _vms.FinishTeardowns();
        var report = Observe("reconcile", _reconciler.Run);
        _observer?.Reconciled(report);
        return report;
    }));

    public VmStats GetStats(string vmId) => Shared(() =>
    {
        var id = VmId.Parse(vmId);
        var vm = _store.GetVm(id) is { Lifecycle: VmLifecycle.Ready } ready ? ready : throw DomainErrors.VmNotFound(id.Value);
        return _statistics.Read(vm);
    });

    public IReadOnlyList<VmStats> ListStats() => Shared(ReadAllStats);

    public DoctorReport Doctor(string? vmId) => Shared(() => _checkup.Run(vmId));

    public TuneReport Tune(bool apply, bool write) => Exclusive(() => _tuner.Tune(apply, write));

    /// <summary>Per-VM counters and capacity read now, with the operation metrics recorded so far (<see cref="EngineOptions.Metrics"/>).</summary>
    public string RenderPrometheusText() => Shared(() => _metrics.Value.Render(() => (ReadAllStats(), _capacity.Read())));

    /// <summary>
    /// Runs <paramref name="work"/> (opening a listening socket) inside the host namespace, where a socket then stays
    /// whichever thread uses it; in the process's own namespace when none was named.
    /// </summary>
    public T InHostNamespace<T>(Func<T> work) => _hostNamed ? Translated(() => _kernel.Namespace.Run(work)) : work();

    /// <summary>
    /// Removes, after the answer, the devices of attachments a DEL or GC cut off (see <see cref="VmNetworks.FinishTeardowns"/>):
    /// one run at a time, each beside other VM operations. Failures stay with their records for reconcile.
    /// </summary>
    private T ScheduleTeardowns<T>(T result)
    {
        lock (_teardownLock)
        {
            _teardowns = _teardowns.ContinueWith(_ => Shared(() => _vms.FinishTeardowns()), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default);
        }

        return result;
    }

    private VmRecord Published(VmRecord vm)
    {
        _endpoints?.Published(vm);
        return vm;
    }

    private T Withdrawn<T>(string vmId, T result)
    {
        _endpoints?.Withdrawn(vmId);
        return result;
    }

    /// <summary>Wakes the warm pool's background work (<see cref="PoolWorker"/>) after <paramref name="result"/>'s operation.</summary>
    private T SchedulePoolWork<T>(T result)
    {
        _warmPool.Unstall(); // the operation may have freed what a fill lacked (an address, a bridge)
        _poolWorker.Wake();
        return result;
    }

    /// <summary>Waits for the teardowns under way, then finishes any left: nothing cut off stays half removed.</summary>
    private void FinishTeardowns()
    {
        Task pending;
        lock (_teardownLock)
        {
            pending = _teardowns;
        }

        try
        {
            pending.Wait();
        }
        catch (AggregateException)
        {
            // The record stays deleting; the call below, or reconcile, finishes it.
        }

        _vms.FinishTeardowns();
    }

    private IReadOnlyList<VmStats> ReadAllStats() => _statistics.ReadAll(_store.ListVms());

    /// <summary>An operation that runs beside other VM operations (see <see cref="EngineGate"/>), observed when it is named.</summary>
    private T Shared<T>(Func<T> work, string? observed = null) => _gate.Shared(() => Observe(observed, () => Translated(work)));

    /// <summary>An operation that changes the host as a whole: it runs alone.</summary>
    private T Exclusive<T>(Func<T> work) => _gate.Exclusive(() => Translated(work));

    /// <summary>
    /// No kernel error leaves the engine: one the domain did not already put in its own words becomes
    /// <c>kernel-error</c> here, keeping the kernel's (errno, operation, extended ack).
    /// </summary>
    private static T Translated<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (KernelException error)
        {
            throw DomainErrors.KernelCallFailed(error);
        }
    }

    /// <summary>Times an operation for the observer, when there is one; failures count by their domain error code.</summary>
    private T Observe<T>(string? operation, Func<T> work)
    {
        if (_observer is null || operation is null)
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
            _observer.Completed(operation, Stopwatch.GetElapsedTime(started), (error as FirelineException)?.Code ?? "internal-error");
            throw;
        }
    }

    /// <summary>Opens the named host namespace; null when none is named.</summary>
    private static NetworkNamespace? OpenHostNamespace(string? nameOrPath)
    {
        if (nameOrPath is null)
        {
            return null;
        }

        try
        {
            return NetworkNamespace.Open(nameOrPath);
        }
        catch (Exception error) when (error is KernelException or ArgumentException)
        {
            throw DomainErrors.NoHostNamespace(nameOrPath, error.Message);
        }
    }

    public void Dispose()
    {
        FinishTeardowns();
        _poolWorker.Dispose();
        _kernel.Dispose();
        _store.Dispose();
        _lock.Dispose();
        _gate.Dispose();
    }
}
