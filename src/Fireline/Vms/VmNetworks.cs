using System.Diagnostics;
using System.Net.Sockets;
using Fireline.Addressing;
using Fireline.Concurrency;
using Fireline.Errors;
using Fireline.Faults;
using Fireline.Firewall;
using Fireline.Host;
using Fireline.Ipam;
using Fireline.Linux;
using Fireline.Linux.SockDiag;
using Fireline.Metrics;
using Fireline.Networks;
using Fireline.Policy;
using Fireline.Sriov;
using Fireline.State;

namespace Fireline.Vms;

/// <summary>
/// Create and delete of VM networks. Each writes its intent durably before the first kernel change and
/// commits after the last, so a crash at any instant leaves a record reconcile can finish or undo. Operations
/// on one VM are serialised; operations on different VMs share no lock across kernel calls.
/// </summary>
public sealed class VmNetworks(IStateStore store, NetworkPools pools, WarmPool warmPool, VmDatapath datapath, HostDatapath host, HostFirewall firewall, SriovPool sriov, string netnsDirectory, IOperationObserver? observer = null)
{
    private readonly KeyedLocks _locks = new();

    /// <summary>VMs whose delete answered before their devices were removed (<see cref="Delete(VmId, Func{VmState, bool}, bool)"/>), with their namespace's path.</summary>
    private readonly Dictionary<VmId, string> _pendingTeardowns = [];
    private readonly Lock _pendingLock = new();

    public VmRecord Create(VmCreateRequest request)
    {
        var id = VmId.Parse(request.VmId);
        return Record(Create(id, request.Network ?? "default", Validate(request)));
    }

    /// <summary>
    /// Creates VM <paramref name="id"/> with validated <paramref name="options"/> (a CNI attachment's among them), or
    /// returns the VM as it is when it exists with the same network and options; a conflict otherwise.
    /// </summary>
    public VmState Create(VmId id, string networkName, VmOptions options)
    {
        using var held = _locks.Acquire(id.Value);
        var network = store.GetNetwork(networkName)
            ?? throw (networkName == "default" && store.GetHost() is null ? DomainErrors.HostNotInitialized() : DomainErrors.NetworkNotFound(networkName));
        CheckLimitsFit(network.Spec, options.RateLimits);
        if (options.Ipv6 && network.Spec.Ipv6 is null)
        {
            throw DomainErrors.InvalidInput("ipv6", $"network '{networkName}' has no IPv6 prefix; give it one (network apply: 'ipv6: fd00:1::/64', or {FieldReference.Of("ipv6Prefix")} at host init)");
        }

        var existing = store.GetVm(id);
        if (existing is { Lifecycle: not VmLifecycle.Ready })
        {
            Settle(existing); // an interrupted create or delete of this id: finish it first
            existing = null;
        }

        if (existing is not null)
        {
            if (existing.Network == networkName && existing.Options == options)
            {
                return existing;
            }

            throw DomainErrors.Conflict(
                $"VM '{id}' exists on network '{existing.Network}' with other options; delete it first or repeat its original options", "vmId");
        }

        var started = Stopwatch.GetTimestamp();
        if (options.Attachment is null && options.Sriov is null && network.Spec.Pool > 0 && AcquireOrScrub(id, networkName, options, network.Spec) is { } pooled)
        {
            observer?.Completed("pool-acquire", Stopwatch.GetElapsedTime(started), null);
            return pooled;
        }

        var (vm, recycled) = Lease(id, networkName, options, network.Spec);
        FaultPoints.Hit("create.intent");
        try
        {
            if (recycled)
            {
                datapath.ForgetFlows(vm.Address);
            }

            // Anti-spoofing lets the VM's frames through before its port exists: it is never open without them.
            firewall.AddVm(VmFirewallEntry.For(vm, network.Spec));
            FaultPoints.Hit("create.firewall");

            var bridge = host.SegmentBridge(network.Spec, vm.Address)
                ?? throw DomainErrors.Conflict($"network '{networkName}': its bridge {network.Spec.Bridge} is missing; run 'fireline reconcile'", "network");
            datapath.Build(vm, bridge, TcLimits(network.Spec, vm.Options));
            if (options.Sriov is { } pf)
            {
                sriov.Attach(vm, pf);
            }
        }
        catch (NamespaceExistsException)
        {
            // Nothing was made: the name belongs to someone else (another instance's VM, or a leftover that
            // reconcile can prove is ours). Never tear down what this call did not create.
            Release(vm);
            throw NamespaceTaken(id);
        }
        catch (Exception failure) when (failure is KernelException or FirelineException)
        {
            Undo(vm, failure);
            throw failure as FirelineException ?? DomainErrors.Kernel($"creating VM '{id}'", (KernelException)failure);
        }

        store.SetLifecycle(vm.VmId, VmLifecycle.Ready);
        FaultPoints.Hit("create.commit");
        return vm with { Lifecycle = VmLifecycle.Ready };
    }

    /// <summary>
    /// <see cref="Acquire"/>; when the network has no ready slot but one given back whose scrub is behind (a fast churn),
    /// that slot is scrubbed here first: a new TAP and forgotten flows cost a fraction of a cold create, and the cold path
    /// would leave the pool above its size once the scrub is done (or fail, when every address is a slot's).
    /// </summary>
    private VmState? AcquireOrScrub(VmId id, string networkName, VmOptions options, NetworkSpec spec)
        => Acquire(id, networkName, options, spec) ??
           (warmPool.ScrubOne(networkName) ? Acquire(id, networkName, options, spec) : null);

    /// <summary>
    /// A create from the warm pool: the slot's lease becomes the VM's in one write, its namespace is renamed
    /// <c>vm-ID</c>, the VM's firewall elements are added. Null when the network has no ready slot, or the slot it
    /// took had vanished (then removed): the caller makes the VM the cold way.
    /// </summary>
    private VmState? Acquire(VmId id, string networkName, VmOptions options, NetworkSpec spec)
    {
        if (warmPool.Take(networkName) is not { } address)
        {
            return null;
        }

        var vm = new VmState(id, networkName, address, options, VmLifecycle.Creating);
        var pool = pools.Get(networkName);
        lock (pool.SyncRoot)
        {
            try
            {
                store.TakeSlot(vm);
            }
            catch (InvalidOperationException)
            {
                return null; // the slot is no longer recorded (a network drained meanwhile): the cold path
            }

            pool.Move(toSlot: false);
        }

        FaultPoints.Hit("pool.acquire.intent");
        try
        {
            datapath.TakeSlot(vm, TcLimits(spec, options));
            firewall.AddVm(VmFirewallEntry.For(vm, spec));
        }
        catch (NamespaceExistsException)
        {
            // vm-ID is someone else's: the slot is still whole under its own name, and goes back.
            lock (pool.SyncRoot)
            {
                store.ReturnSlot(id, SlotState.Ready);
                pool.Move(toSlot: true);
            }

            warmPool.PutBack(networkName, address);
            throw NamespaceTaken(id);
        }
        catch (NamespaceNotFoundException)
        {
            Undo(vm, new InvalidOperationException("the slot's namespace vanished"));
            return null;
        }
        catch (Exception failure) when (failure is KernelException or FirelineException)
        {
            Undo(vm, failure);
            throw failure as FirelineException ?? DomainErrors.Kernel($"creating VM '{id}'", (KernelException)failure);
        }

        store.SetLifecycle(vm.VmId, VmLifecycle.Ready);
        FaultPoints.Hit("pool.acquire.commit");
        return vm with { Lifecycle = VmLifecycle.Ready };
    }

    private static FirelineException NamespaceTaken(VmId id) => DomainErrors.Conflict(
        $"namespace {VmAddressing.NamespaceName(id)} already exists and no record of this Fireline claims it: another instance uses this id, or 'fireline reconcile' has a leftover to remove", "vmId");

    /// <summary>
    /// A delete into the warm pool: the VM's lease becomes a slot's in one write (with its forwards gone), which is the
    /// delete's intent: until it lands the VM is whole and ready, after it reconcile treats the rest as a slot's. Then its
    /// firewall elements and forwards leave the kernel, and its name leaves the slot's namespace, which is scrubbed in the
    /// background before anyone gets it. A VM whose namespace cannot be a slot is removed as any other.
    /// </summary>
    private void Recycle(VmState vm, NetworkSpec spec)
    {
        var started = Stopwatch.GetTimestamp();
        var forwards = store.ListForwards().Where(f => f.VmId == vm.VmId).ToList();
        var pool = pools.Get(vm.Network);
        lock (pool.SyncRoot)
        {
            store.ReturnSlot(vm.VmId, SlotState.Scrubbing);
            pool.Move(toSlot: true);
        }

        FaultPoints.Hit("pool.release.intent");
        var slot = new PoolSlot(vm.Network, vm.Address, SlotState.Scrubbing);
        try
        {
            foreach (var forward in forwards)
            {
                firewall.RemoveForward(forward);
            }

            firewall.RemoveVm(VmFirewallEntry.For(vm, spec));
            if (datapath.ReturnSlot(vm))
            {
                warmPool.Returned(slot);
            }
            else
            {
                datapath.TearDown(vm with { Lifecycle = VmLifecycle.Deleting });
                warmPool.Destroy(slot);
            }
        }
        catch (KernelException error)
        {
            // The slot's record stays as written (scrubbing): reconcile scrubs or removes it.
            throw DomainErrors.Kernel($"deleting VM '{vm.VmId}'", error);
        }

        observer?.Completed("pool-release", Stopwatch.GetElapsedTime(started), null);
    }

    public VmDeleteResult Delete(string vmId) => Delete(VmId.Parse(vmId), _ => true);

    /// <summary>
    /// Deletes VM <paramref name="id"/> when its record satisfies <paramref name="mayDelete"/> (checked under the VM's
    /// lock: a CNI DEL removes only its own attachment, never a VM of the API); <c>deleted: false</c> otherwise.
    /// </summary>
    /// <param name="deferTeardown">
    /// Cut the VM off now (its host veth leaves the bridge: no frame passes after this returns) and leave removing its
    /// devices to <see cref="FinishTeardowns"/>. For a CNI attachment, whose namespace is the runtime's and so cannot be
    /// dropped whole as a VM's own is: each link the kernel unregisters costs ~17 ms here (it waits out RCU), twice
    /// what a whole DEL may take. The record stays <c>deleting</c>, with its lease, until the devices are gone, so a
    /// crash in between leaves what reconcile finishes, and the address is not handed out while its devices exist.
    /// </param>
    public VmDeleteResult Delete(VmId id, Func<VmState, bool> mayDelete, bool deferTeardown = false)
    {
        using var held = _locks.Acquire(id.Value);
        var vm = store.GetVm(id);
        if (vm is null || !mayDelete(vm))
        {
            return new VmDeleteResult(id.Value, Deleted: false);
        }

        if (!deferTeardown && store.GetNetwork(vm.Network)?.Spec is { } spec && warmPool.Wants(vm, spec))
        {
            Recycle(vm, spec);
            return new VmDeleteResult(id.Value, Deleted: true);
        }

        store.SetLifecycle(vm.VmId, VmLifecycle.Deleting);
        FaultPoints.Hit("delete.intent");
        if (deferTeardown)
        {
            try
            {
                datapath.CutOff(vm);
            }
            catch (KernelException error)
            {
                throw DomainErrors.Kernel($"deleting VM '{vm.VmId}'", error);
            }

            lock (_pendingLock)
            {
                _pendingTeardowns[id] = vm.NamespacePath(netnsDirectory);
            }

            return new VmDeleteResult(id.Value, Deleted: true);
        }

        Remove(vm);
        FaultPoints.Hit("delete.commit");
        return new VmDeleteResult(id.Value, Deleted: true);
    }

    public VmRecord Get(string vmId)
    {
        var id = VmId.Parse(vmId);
        var vm = store.GetVm(id) ?? throw DomainErrors.VmNotFound(id.Value);
        return Record(vm);
    }

    /// <summary>
    /// Every VM's record. The same list (the same instance, which callers may key on) until the state's next write:
    /// reading and building 10,000 records costs tens of milliseconds, and most lists follow no write. After one, a VM
    /// whose stored state, network and VF read back equal keeps its record instance (callers may key on those too: the
    /// daemon keeps each one's JSON), so only the records of what changed are built again.
    /// </summary>
    public IReadOnlyList<VmRecord> List()
    {
        var generation = store.Generation;
        var listed = _listed;
        if (listed is not null && listed.Generation == generation)
        {
            return listed.Records;
        }

        var networks = store.ListNetworks().ToDictionary(n => n.Name, n => n.Spec, StringComparer.Ordinal);
        var vfs = store.ListVfs().ToDictionary(v => v.VmId);
        var built = new Dictionary<VmId, BuiltRecord>();
        var records = new List<VmRecord>();
        foreach (var vm in store.ListVms())
        {
            var (spec, vf) = (networks[vm.Network], vfs.GetValueOrDefault(vm.VmId));
            var record = listed?.Built.TryGetValue(vm.VmId, out var before) == true &&
                         before.State == vm && ReferenceEquals(before.Spec, spec) && before.Vf == vf
                ? before.Record
                : VmRecords.From(vm, spec, netnsDirectory, vf);
            built[vm.VmId] = new BuiltRecord(vm, spec, vf, record);
            records.Add(record);
        }

        _listed = new ListedVms(generation, records, built);
        return records;
    }

    /// <summary>The last list, kept under the store generation read before it was read.</summary>
    private volatile ListedVms? _listed;

    private sealed record ListedVms(long Generation, IReadOnlyList<VmRecord> Records, IReadOnlyDictionary<VmId, BuiltRecord> Built);

    /// <summary>A record and what it was built from.</summary>
    private sealed record BuiltRecord(VmState State, NetworkSpec Spec, VfAllocation? Vf, VmRecord Record);

    /// <summary>
    /// Finishes an interrupted operation on one VM: a create is undone, a delete finished. The caller holds
    /// the VM's lock (or has the state to itself, as reconcile does). Returns what was removed.
    /// </summary>
    public IReadOnlyList<string> Settle(VmState vm)
    {
        // The VF first: a real VF left in the namespace would fall back to the machine's namespace, not ours.
        var vf = sriov.Release(vm.VmId);
        var removed = datapath.TearDown(vm);
        if (vf is not null)
        {
            removed = [vf, .. removed];
        }

        foreach (var forward in store.ListForwards().Where(f => f.VmId == vm.VmId))
        {
            firewall.RemoveForward(forward);
        }

        firewall.RemoveVm(VmFirewallEntry.For(vm, store.GetNetwork(vm.Network)!.Spec));
        FaultPoints.Hit("delete.firewall");
        Release(vm);
        return removed;
    }

    /// <summary>Ports below this are the host's own services' (ssh, DNS, HTTP): forwarded only when asked for by name.</summary>
    public const int FirstUnprivilegedPort = 1024;

    /// <summary>
    /// <c>fireline vm forward</c>: DNAT of a host port on the uplink address to a port of the VM, subject to
    /// the VM's ingress policy. The same forward again changes nothing; a host port taken by another is a conflict.
    /// A port below 1024 needs <see cref="ForwardRequest.AllowPrivilegedPort"/>, and a port on which a socket of the
    /// host namespace listens is refused: the DNAT would take it from that service (sshd's 22) without a word.
    /// </summary>
    public PortForward Forward(string vmId, ForwardRequest request)
    {
        var id = VmId.Parse(vmId);
        var (protocol, hostPort, vmPort) = (request.Protocol, request.HostPort, request.VmPort);
        if (!Enum.IsDefined(protocol))
        {
            throw DomainErrors.InvalidInput("protocol", $"{FieldReference.Of("protocol")} must be tcp or udp");
        }

        foreach (var (field, port) in new[] { ("hostPort", hostPort), ("vmPort", vmPort) })
        {
            if (port is < 1 or > 65535)
            {
                throw DomainErrors.InvalidInput(field, $"{FieldReference.Of(field)} {port} is out of range (1-65535)");
            }
        }

        if (hostPort < FirstUnprivilegedPort && !request.AllowPrivilegedPort)
        {
            throw DomainErrors.InvalidInput("hostPort",
                $"host port {hostPort} is below {FirstUnprivilegedPort}, where the host's own services live; " +
                $"to forward it anyway ask for it with {FieldReference.Of("allowPrivilegedPort")}");
        }

        if (store.GetHost() is { Uplink: null })
        {
            throw DomainErrors.Unsupported($"port forwards arrive on the uplink, and this host has none: name one with {FieldReference.Of("uplink")} at host init", "hostPort");
        }

        using var held = _locks.Acquire(id.Value);
        var vm = store.GetVm(id) is { Lifecycle: VmLifecycle.Ready } ready ? ready : throw DomainErrors.VmNotFound(id.Value);
        var forward = new PortForward { VmId = id, Protocol = protocol, HostPort = hostPort, VmPort = vmPort, VmAddress = Ipv4Network.Format(vm.Address) };
        var existing = store.ListForwards().SingleOrDefault(f => f.Protocol == protocol && f.HostPort == hostPort);
        if (existing is not null)
        {
            return existing == forward ? existing
                : throw DomainErrors.Conflict($"host {protocol.Name()} port {hostPort} is already forwarded to VM '{existing.VmId}' port {existing.VmPort}", "hostPort");
        }

        CheckHostPortFree(protocol, hostPort);
        store.AddForward(forward);
        try
        {
            firewall.AddForward(forward);
        }
        catch (KernelException error)
        {
            store.RemoveForward(protocol, hostPort);
            throw DomainErrors.Kernel($"forwarding {protocol.Name()} port {hostPort} to VM '{id}'", error);
        }

        return forward;
    }

    /// <summary>Refuses a host port a socket of the host namespace receives on (checked in the kernel, not in any list).</summary>
    private void CheckHostPortFree(ForwardProtocol protocol, int hostPort)
    {
        IReadOnlyList<BoundSocket> listening;
        try
        {
            listening = host.Listening(protocol == ForwardProtocol.Tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        }
        catch (KernelException error)
        {
            throw DomainErrors.Kernel($"reading the host namespace's {protocol.Name()} sockets", error);
        }

        if (listening.FirstOrDefault(s => s.Port == hostPort) is { } taken)
        {
            throw DomainErrors.Conflict(
                $"host {protocol.Name()} port {hostPort} is in use in the host namespace ({taken} is bound there, uid {taken.Uid}): " +
                $"a forward would take it from that service; choose another {FieldReference.Of("hostPort")}", "hostPort");
        }
    }

    /// <summary>
    /// <c>fireline vm limit</c>: replaces a VM's rate limits (null or empty: none). On a tc network they take
    /// effect at once; otherwise on the next <c>vm attach</c>, which PATCHes a running Firecracker.
    /// </summary>
    public VmRecord SetLimits(string vmId, RateLimits? limits)
    {
        var id = VmId.Parse(vmId);
        limits?.Validate();
        using var held = _locks.Acquire(id.Value);
        var vm = store.GetVm(id) is { Lifecycle: VmLifecycle.Ready } ready ? ready : throw DomainErrors.VmNotFound(id.Value);
        var network = store.GetNetwork(vm.Network)!.Spec;
        CheckLimitsFit(network, limits);
        var options = vm.Options with { RateLimits = limits is { IsEmpty: false } ? limits : null };
        if (network.RateLimiter == RateLimiterKind.Tc)
        {
            try
            {
                datapath.ApplyLimits(vm, options.RateLimits);
            }
            catch (KernelException error)
            {
                throw DomainErrors.Kernel($"shaping VM '{id}'", error);
            }
        }

        store.SetOptions(vm.VmId, options);
        return Record(vm with { Options = options });
    }

    /// <summary>
    /// <c>fireline vm policy</c>: replaces a VM's own rules (empty: none), checked as a network's are. The record
    /// first (reconcile makes the kernel match it, should this be cut short), then one transaction that touches
    /// only the VM's chains and map elements; when the kernel refuses it, the record goes back and nothing changed.
    /// </summary>
    public VmRecord SetPolicies(string vmId, IReadOnlyList<PolicyRule> rules)
    {
        var id = VmId.Parse(vmId);
        var policies = rules.Count == 0 ? null : VmPolicyDocument.Validate(rules);
        using var held = _locks.Acquire(id.Value);
        var vm = store.GetVm(id) is { Lifecycle: VmLifecycle.Ready } ready ? ready : throw DomainErrors.VmNotFound(id.Value);
        var network = store.GetNetwork(vm.Network)!.Spec;
        var updated = vm with { Options = vm.Options with { Policies = policies } };
        store.SetOptions(vm.VmId, updated.Options);
        try
        {
            firewall.SetVmPolicy(VmFirewallEntry.For(vm, network), VmFirewallEntry.For(updated, network));
        }
        catch (KernelException error)
        {
            store.SetOptions(vm.VmId, vm.Options);
            throw DomainErrors.Kernel($"setting the policy of VM '{id}'", error);
        }

        return Record(updated);
    }

    /// <summary>The limits tc enforces for a VM: its own on a tc network, none where the VMM enforces them.</summary>
    public static RateLimits? TcLimits(NetworkSpec network, VmOptions options)
        => network.RateLimiter == RateLimiterKind.Tc ? options.RateLimits : null;

    /// <summary>tc shapes bandwidth only: ops buckets need Firecracker's own limiter.</summary>
    private static void CheckLimitsFit(NetworkSpec network, RateLimits? limits)
    {
        if (network.RateLimiter == RateLimiterKind.Tc && (limits?.Rx?.Ops is not null || limits?.Tx?.Ops is not null))
        {
            throw DomainErrors.InvalidInput("rateLimits",
                $"network '{network.Name}' enforces limits with tc, which shapes bandwidth only; ops limits need Firecracker's limiter (rateLimiter: firecracker)");
        }
    }

    /// <summary>
    /// Removes the devices of VMs whose delete was answered early: every one, or only those in the namespace at
    /// <paramref name="netnsPath"/> (an ADD into a namespace first waits for what a DEL left there, so the names are
    /// free). One that fails stays <c>deleting</c> for reconcile. Returns how many it finished.
    /// </summary>
    public int FinishTeardowns(string? netnsPath = null)
    {
        VmId[] ids;
        lock (_pendingLock)
        {
            ids = [.. _pendingTeardowns.Where(p => netnsPath is null || p.Value == netnsPath).Select(p => p.Key)];
        }

        var finished = 0;
        foreach (var id in ids)
        {
            using var held = _locks.Acquire(id.Value);
            try
            {
                if (store.GetVm(id) is { Lifecycle: VmLifecycle.Deleting } vm)
                {
                    FaultPoints.Hit(FaultPoints.DeleteDeferred);
                    Remove(vm);
                    finished++;
                }
            }
            catch (FirelineException)
            {
                // The record stays deleting: the next delete of the id, or reconcile, finishes it.
            }
            finally
            {
                lock (_pendingLock)
                {
                    _pendingTeardowns.Remove(id);
                }
            }
        }

        return finished;
    }

    /// <summary>Takes the VM's lock for reconcile's per-VM work.</summary>
    public IDisposable Lock(VmId vmId) => _locks.Acquire(vmId.Value);

    private (VmState Vm, bool Recycled) Lease(VmId id, string networkName, VmOptions options, NetworkSpec spec)
    {
        var pool = pools.Get(networkName);
        lock (pool.SyncRoot)
        {
            // No bridge is ever full: a segment's holds at most NetworkSegments.Size ports, far below a bridge's 1,023.
            var allocation = pool.Peek() ?? throw DomainErrors.SubnetExhausted(networkName, spec.Subnet.ToString(), NetworkSegments.VmCapacity(pool.Subnet));
            var vm = new VmState(id, networkName, allocation.Address, options, VmLifecycle.Creating);
            store.AddVm(vm, allocation);
            pool.Commit(allocation);
            return (vm, allocation.Recycled);
        }
    }

    private void Remove(VmState vm)
    {
        try
        {
            Settle(vm);
        }
        catch (KernelException error)
        {
            // The record stays in Deleting: a retry of the delete, or reconcile, picks up where this stopped.
            throw DomainErrors.Kernel($"deleting VM '{vm.VmId}'", error);
        }
    }

    private void Undo(VmState vm, Exception cause)
    {
        try
        {
            Settle(vm);
        }
        catch (KernelException error)
        {
            // The record stays in Creating; reconcile removes what is left. The caller reports the cause.
            throw DomainErrors.Kernel($"creating VM '{vm.VmId}' failed ({cause.Message}) and undoing it failed too", error);
        }
    }

    private void Release(VmState vm)
    {
        var pool = pools.Get(vm.Network);
        lock (pool.SyncRoot)
        {
            store.RemoveVm(vm.VmId);
            pool.Release(vm.Address);
        }
    }

    /// <summary>A VM's record; only a VM created with an SR-IOV option can hold a VF, so only its VF is looked up.</summary>
    public VmRecord Record(VmState vm)
        => VmRecords.From(vm, store.GetNetwork(vm.Network)!.Spec, netnsDirectory, vm.Options.Sriov is null ? null : sriov.Find(vm.VmId));

    private static VmOptions Validate(VmCreateRequest request)
    {
        request.RateLimits?.Validate();
        SriovPool.Validate(request.Sriov);

        return new VmOptions
        {
            RateLimits = request.RateLimits is { IsEmpty: false } limits ? limits : null,
            Ipv6 = request.Ipv6,
            TapOwner = request.TapOwner,
            TapGroup = request.TapGroup,
            Sriov = request.Sriov,
            Policies = request.Policies is { Count: > 0 } rules ? VmPolicyDocument.Validate(rules) : null,
        };
    }
}
