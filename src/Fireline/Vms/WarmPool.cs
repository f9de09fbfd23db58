using System.Diagnostics;
using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Faults;
using Fireline.Host;
using Fireline.Ipam;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.Reconciliation;
using Fireline.State;

namespace Fireline.Vms;

/// <summary>
/// Each network's warm pool (<see cref="NetworkSpec.Pool"/>): ready slots a create takes instead of making a VM's
/// devices, and slots deleted VMs give back, scrubbed before they are handed out again. Every slot is in the store
/// before its first device exists (<see cref="SlotState.Filling"/>) and changes hands with a VM in one transaction, so a
/// crash leaves records reconcile turns into whole slots or nothing. Filling, scrubbing and trimming are
/// <see cref="Step"/>s the caller runs in the background, one slot at a time.
/// </summary>
/// <remarks>
/// A network short of its pool is refilled at once only when fewer than half its slots are left; otherwise once it has
/// seen no create or delete for a quiet period (<see cref="Service.EngineOptions.PoolQuietPeriod"/>). Under a steady churn the slots deletes give back refill the
/// pool: a fill racing them would take the room a returning slot needs, and every cycle would build one slot and tear
/// down one VM's devices, the very work the pool is there to save.
/// </remarks>
public sealed class WarmPool(IStateStore store, NetworkPools pools, VmDatapath datapath, HostDatapath host, TimeSpan quietPeriod)
{
    private readonly Lock _lock = new();

    /// <summary>Ready slots by network, loaded from the store on first use: what an acquire takes, oldest first.</summary>
    private Dictionary<string, Queue<uint>>? _ready;

    /// <summary>Slots given back by deleted VMs, waiting for their scrub.</summary>
    private readonly Queue<ReturnedSlot> _returned = new();

    /// <summary>When each network last had a slot taken or given back (<see cref="Stopwatch"/> ticks).</summary>
    private readonly Dictionary<string, long> _lastUse = new(StringComparer.Ordinal);

    /// <summary>Networks whose fill failed in this round of steps: not retried until the next operation (<see cref="Unstall"/>).</summary>
    private readonly HashSet<string> _stalled = new(StringComparer.Ordinal);

    /// <summary>How many ready slots a network has now.</summary>
    public int Ready(string network)
    {
        lock (_lock)
        {
            return ReadySlots().TryGetValue(network, out var ready) ? ready.Count : 0;
        }
    }

    /// <summary>Takes a ready slot's address for a new VM of <paramref name="network"/>; null when it has none.</summary>
    public uint? Take(string network)
    {
        lock (_lock)
        {
            Touch(network);
            return Dequeue(network);
        }
    }

    /// <summary>The caller holds <see cref="_lock"/>.</summary>
    private uint? Dequeue(string network)
        => ReadySlots().TryGetValue(network, out var ready) && ready.TryDequeue(out var address) ? address : null;

    /// <summary>Puts back a slot an acquire took but could not use (the VM's name was taken): it is still whole.</summary>
    public void PutBack(string network, uint address)
    {
        lock (_lock)
        {
            Queue(network).Enqueue(address);
        }
    }

    /// <summary>
    /// Whether a deleted VM's devices should become a slot: its network keeps a pool with room for one more, and the VM
    /// is an ordinary one (no CNI attachment in a runtime's namespace, no SR-IOV function).
    /// </summary>
    public bool Wants(VmState vm, NetworkSpec network)
        => vm.Options.Attachment is null && vm.Options.Sriov is null && vm.Lifecycle == VmLifecycle.Ready &&
           SlotCount(vm.Network) < network.Pool;

    /// <summary>Queues a slot a deleted VM gave back for its scrub.</summary>
    public void Returned(PoolSlot slot)
    {
        lock (_lock)
        {
            Touch(slot.Network);
            _returned.Enqueue(new ReturnedSlot(slot, Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>A slot given back, and when (once its VM's name had left it: see <see cref="VmDatapath.ScrubSlot"/>).</summary>
    private sealed record ReturnedSlot(PoolSlot Slot, long At);

    /// <summary>
    /// Scrubs, now and on the caller's thread, one slot of <paramref name="network"/> given back and not scrubbed yet: for a
    /// create that finds no ready slot in a network whose every address is a slot's (its scrubs behind a fast churn).
    /// False when the network has no such slot.
    /// </summary>
    public bool ScrubOne(string network)
    {
        ReturnedSlot? slot;
        lock (_lock)
        {
            slot = _returned.FirstOrDefault(s => s.Slot.Network == network);
            if (slot is null)
            {
                return false;
            }

            var rest = _returned.Where(s => s != slot).ToList();
            _returned.Clear();
            rest.ForEach(_returned.Enqueue);
        }

        Scrub(slot);
        return true;
    }

    /// <summary>
    /// One unit of background work: scrub one returned slot, else fill one network short of its pool (see the remarks: a
    /// busy network above half its pool waits; <paramref name="finishing"/>, the last work before the process ends,
    /// does not), else remove one slot a network keeps beyond its pool. Returns <see cref="TimeSpan.Zero"/> when it did
    /// something, how long until a waiting fill is due when that is all there is, null when there is nothing to do.
    /// </summary>
    public TimeSpan? Step(bool finishing)
    {
        ReturnedSlot? returned;
        lock (_lock)
        {
            _returned.TryDequeue(out returned);
        }

        if (returned is not null)
        {
            Scrub(returned);
            return TimeSpan.Zero;
        }

        TimeSpan? due = null;
        IReadOnlyList<NetworkState> networks;
        using (ThreadScheduling.AtNormalPriority())
        {
            networks = store.ListNetworks();
        }

        foreach (var network in networks.Select(n => n.Spec))
        {
            var slots = SlotCount(network.Name);
            if (slots < network.Pool && !IsStalled(network.Name))
            {
                var wait = finishing || slots * 2 < network.Pool ? TimeSpan.Zero : UntilQuiet(network.Name);
                if (wait <= TimeSpan.Zero)
                {
                    Fill(network);
                    return TimeSpan.Zero;
                }

                due = due is { } earlier && earlier < wait ? earlier : wait;
            }

            if (slots > network.Pool && Surplus(network.Name) is { } surplus)
            {
                Destroy(new PoolSlot(network.Name, surplus, SlotState.Ready));
                return TimeSpan.Zero;
            }
        }

        return due;
    }

    private uint? Surplus(string network)
    {
        lock (_lock)
        {
            return Dequeue(network);
        }
    }

    /// <summary>Removes every slot of a network (before it is deleted, or its subnet or bridge changes).</summary>
    public void Drain(string network)
    {
        lock (_lock)
        {
            ReadySlots().Remove(network);
        }

        foreach (var slot in store.ListSlots().Where(s => s.Network == network))
        {
            Destroy(slot);
        }
    }

    /// <summary>
    /// Reconcile's part: a slot that is not ready (cut short while filling, or returned and not scrubbed) is removed, a
    /// ready one that is not whole too, and a slot namespace of this instance no record claims. Returns the host veths
    /// the slots kept hold, which are not orphans. <paramref name="vms"/> are the VM records reconcile read (a VM made from
    /// a slot claims the slot's name).
    /// </summary>
    public IReadOnlySet<string> Reconcile(IReadOnlyList<VmState> vms, List<ReconcileAction> actions)
    {
        lock (_lock)
        {
            _ready = null; // read again from the store below
            _returned.Clear();
            _stalled.Clear();
        }

        var links = host.Links().ToDictionary(l => l.Name, StringComparer.Ordinal);
        var networks = store.ListNetworks().ToDictionary(n => n.Name, n => n.Spec, StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slot in store.ListSlots())
        {
            var hostVeth = VmAddressing.HostVeth(slot.Address);
            if (slot.State == SlotState.Ready && BridgeIndex(networks[slot.Network], slot.Address) is { } bridge &&
                datapath.SlotIsWhole(slot.Address, bridge, links.GetValueOrDefault(hostVeth)))
            {
                kept.Add(hostVeth);
                continue;
            }

            var removed = Destroy(slot);
            actions.Add(new ReconcileAction("remove-slot", $"{slot.Network} {Ipv4Network.Format(slot.Address)}",
                $"a {slot.State.ToString().ToLowerInvariant()} pool slot that was not whole: " +
                (removed.Count == 0 ? "nothing was left in the kernel" : "removed " + string.Join(", ", removed))));
        }

        // A VM made from a slot keeps its namespace under the slot's name (vm-ID is an alias): the VM's record claims it.
        var claimed = store.ListSlots().Select(s => s.Address).Concat(vms.Where(v => v.Options.Attachment is null).Select(v => v.Address))
            .Select(datapath.SlotNamespace).ToHashSet(StringComparer.Ordinal);
        foreach (var name in datapath.SlotNamespaces().Where(n => !claimed.Contains(n)))
        {
            if (datapath.NamespaceOwner(name) == Ownership.Owner.Ours && datapath.DeleteNamespace(name))
            {
                actions.Add(new ReconcileAction("remove-orphan", $"namespace {name}", "a pool slot of this instance no record claims"));
            }
        }

        return kept;
    }

    /// <summary>For doctor: a network's ready slots, and the addresses of those that are not whole.</summary>
    public (int Ready, IReadOnlyList<uint> Broken) Inspect(NetworkSpec network, IReadOnlyDictionary<string, Link> links)
    {
        var ready = store.ListSlots().Where(s => s.Network == network.Name && s.State == SlotState.Ready).ToList();
        return (ready.Count, [.. ready.Where(s => links.GetValueOrDefault(NetworkSegments.Bridge(network.Bridge, NetworkSegments.Of(network.Subnet, s.Address)))?.Index is not { } bridge ||
            !datapath.SlotIsWhole(s.Address, bridge, links.GetValueOrDefault(VmAddressing.HostVeth(s.Address)))).Select(s => s.Address)]);
    }

    private void Fill(NetworkSpec network)
    {
        var pool = pools.Get(network.Name);
        PoolSlot slot;
        using (ThreadScheduling.AtNormalPriority())
        lock (pool.SyncRoot)
        {
            if (pool.Peek() is not { } allocation)
            {
                Stall(network.Name);
                return;
            }

            slot = new PoolSlot(network.Name, allocation.Address, SlotState.Filling);
            store.AddSlot(slot, allocation);
            pool.Commit(allocation, slot: true);
        }

        try
        {
            datapath.ForgetFlows(slot.Address); // an address used before carries no flow of its last VM into the slot
            var bridge = BridgeIndex(network, slot.Address, make: true) ?? throw new InvalidOperationException($"bridge {network.Bridge} is missing or not this instance's");
            datapath.BuildSlot(slot.Address, bridge);
            FaultPoints.Hit("pool.fill.commit");
            MarkReady(slot);
        }
        catch (Exception failure) when (failure is KernelException or FirelineException or InvalidOperationException)
        {
            // A name taken by someone else, a missing bridge: nothing to retry until reconcile or a change.
            Stall(network.Name);
            Destroy(slot);
        }
    }

    private void Scrub(ReturnedSlot returned)
    {
        var slot = returned.Slot;
        try
        {
            NetworkSpec? network;
            using (ThreadScheduling.AtNormalPriority())
            {
                network = store.GetNetwork(slot.Network)?.Spec;
            }

            if (network is not null && BridgeIndex(network, slot.Address) is { } bridge &&
                datapath.ScrubSlot(slot.Address, bridge, returned.At))
            {
                FaultPoints.Hit("pool.scrub.commit");
                MarkReady(slot);
                return;
            }
        }
        catch (KernelException)
        {
            // Not whole: removed below, and a fill makes a new one.
        }

        Destroy(slot);
    }

    /// <summary>
    /// Records a slot ready and queues it, under the pool's lock: the queue is loaded from the store before the slot is
    /// recorded, so a queue read for the first time here cannot hold it twice.
    /// </summary>
    private void MarkReady(PoolSlot slot)
    {
        using var normal = ThreadScheduling.AtNormalPriority();
        lock (_lock)
        {
            var queue = Queue(slot.Network);
            store.SetSlotState(slot.Network, slot.Address, SlotState.Ready);
            queue.Enqueue(slot.Address);
        }
    }

    /// <summary>Removes a slot's devices, then its record (its address goes to the released queue).</summary>
    public IReadOnlyList<string> Destroy(PoolSlot slot)
    {
        var removed = datapath.DestroySlot(slot.Address);
        var pool = pools.Get(slot.Network);
        using var normal = ThreadScheduling.AtNormalPriority();
        lock (pool.SyncRoot)
        {
            store.RemoveSlot(slot.Network, slot.Address);
            pool.Release(slot.Address, slot: true);
        }

        return removed;
    }

    /// <summary>
    /// The bridge of the segment holding <paramref name="address"/>, when it exists and is this instance's: slots go on
    /// no other. With <paramref name="make"/>, a further segment's bridge is made when missing.
    /// </summary>
    private int? BridgeIndex(NetworkSpec network, uint address, bool make = false)
    {
        try
        {
            return make ? host.SegmentBridge(network, address) : host.FindSegment(network, NetworkSegments.Of(network.Subnet, address))?.Index;
        }
        catch (FirelineException)
        {
            return null; // another's bridge under the name: doctor and reconcile say so
        }
    }

    private int SlotCount(string network)
    {
        var pool = pools.Get(network);
        lock (pool.SyncRoot)
        {
            return pool.Slots;
        }
    }

    /// <summary>The caller holds <see cref="_lock"/>.</summary>
    private void Touch(string network) => _lastUse[network] = Stopwatch.GetTimestamp();

    /// <summary>How long until <paramref name="network"/> has been quiet for the quiet period.</summary>
    private TimeSpan UntilQuiet(string network)
    {
        lock (_lock)
        {
            return _lastUse.TryGetValue(network, out var last) ? quietPeriod - Stopwatch.GetElapsedTime(last) : TimeSpan.Zero;
        }
    }

    private bool IsStalled(string network)
    {
        lock (_lock)
        {
            return _stalled.Contains(network);
        }
    }

    private void Stall(string network)
    {
        lock (_lock)
        {
            _stalled.Add(network);
        }
    }

    /// <summary>Lets stalled networks fill again: after any operation, what stopped them (no free address, no bridge) may be gone.</summary>
    public void Unstall()
    {
        lock (_lock)
        {
            _stalled.Clear();
        }
    }

    private Queue<uint> Queue(string network)
    {
        var ready = ReadySlots();
        if (!ready.TryGetValue(network, out var queue))
        {
            ready[network] = queue = new Queue<uint>();
        }

        return queue;
    }

    /// <summary>The caller holds <see cref="_lock"/>.</summary>
    private Dictionary<string, Queue<uint>> ReadySlots()
        => _ready ??= store.ListSlots().Where(s => s.State == SlotState.Ready).GroupBy(s => s.Network)
            .ToDictionary(g => g.Key, g => new Queue<uint>(g.Select(s => s.Address)), StringComparer.Ordinal);
}
