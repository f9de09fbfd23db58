using Fireline.Addressing;
using Fireline.State;

namespace Fireline.Ipam;

/// <summary>
/// One network's IPv4 pool. The whole subnet is usable but for network, gateway and broadcast (up to the most
/// segments a network has: <see cref="NetworkSegments.LastVmAddress"/>). Addresses
/// never handed out come first, in order (a cursor); after that, released addresses are reused least recently
/// released first, so an address rests as long as possible before it is reused. Both steps are O(1), however
/// full the subnet is. Not thread-safe: the caller holds <see cref="SyncRoot"/> across allocate, the durable
/// write, and commit.
/// In cluster mode (<see cref="IAddressBlocks"/>) the cursor hands out only addresses of blocks this host holds,
/// claiming the next free block when it reaches one, skipping blocks other nodes hold (and adopting those later
/// reclaimed from a gone node); and a released address rests for the blocks' cooldown before it is reused.
/// </summary>
public sealed class AddressPool
{
    private readonly Queue<(uint Address, long ReleasedAt)> _released;
    private readonly string _network;
    private readonly IAddressBlocks? _blocks;
    private readonly HashSet<uint> _foreign = [];
    private uint _nextUnused;

    /// <param name="network">The network's name, and <paramref name="blocks"/> the cluster's blocks (null: single-host mode).</param>
    public AddressPool(Ipv4Network subnet, uint nextUnused, IEnumerable<uint> released, int leased, int slots = 0, string network = "", IAddressBlocks? blocks = null)
    {
        Subnet = subnet;
        _nextUnused = Math.Max(nextUnused, subnet.FirstVmAddress);
        // Addresses released before this start rest a whole cooldown from now: when they were released is not kept.
        var loaded = Environment.TickCount64;
        _released = new Queue<(uint, long)>(released.Select(a => (a, loaded)));
        Leased = leased;
        Slots = slots;
        _network = network;
        _blocks = blocks;
    }

    public Ipv4Network Subnet { get; }

    public Lock SyncRoot { get; } = new();

    /// <summary>Addresses currently leased to VMs.</summary>
    public int Leased { get; private set; }

    /// <summary>Addresses held by the network's warm-pool slots (each with its own bridge port, as a VM's).</summary>
    public int Slots { get; private set; }

    /// <summary>Bridge ports in use: one per VM and one per slot.</summary>
    public int Ports => Leased + Slots;

    public long Free => NetworkSegments.VmCapacity(Subnet) - Leased - Slots;

    /// <summary>The cursor a new network starts with.</summary>
    public static uint InitialCursor(Ipv4Network subnet) => subnet.FirstVmAddress;

    /// <summary>
    /// Picks the next address without taking it; null when the subnet (in cluster mode: this host's share of it) is
    /// exhausted. In cluster mode this may claim a block (<see cref="IAddressBlocks.Acquire"/>), and throws what that throws.
    /// </summary>
    public Allocation? Peek()
    {
        var cursor = _nextUnused;
        var last = NetworkSegments.LastVmAddress(Subnet);
        while (cursor <= last && Subnet.VmCapacity > 0)
        {
            if (_blocks is null || _blocks.Acquire(_network, Subnet, cursor))
            {
                return new Allocation(cursor, cursor + 1, Recycled: false);
            }

            // Another node's block: on to the first address of the next one (the cursor only moves when committed).
            var start = Subnet.Network + (uint)(((ulong)cursor - Subnet.Network) / (ulong)_blocks.BlockSize * (ulong)_blocks.BlockSize);
            _foreign.Add(start);
            var next = (ulong)start - Subnet.Network + (ulong)_blocks.BlockSize;
            cursor = next >= (ulong)Subnet.Size ? last + 1 : Subnet.Network + (uint)next;
        }

        if (_blocks is not null)
        {
            AdoptReclaimed(last);
            // A block this node lost while it was gone (another node holds it now): its released addresses are not its own to reuse.
            while (_released.TryPeek(out var lost) && !_blocks.Acquire(_network, Subnet, lost.Address))
            {
                _released.Dequeue();
            }
        }

        return _released.TryPeek(out var head) && Rested(head.ReleasedAt) ? new Allocation(head.Address, cursor, Recycled: true) : null;
    }

    /// <summary>
    /// Blocks the cursor skipped as other nodes' that this node now holds (their node was gone long enough for the
    /// cluster to reclaim them, and this node claimed them): their addresses join the reuse queue, rested already (the
    /// reclaim waits longer than the cooldown). Kept in memory: after a restart they are not offered again, which wastes
    /// them but never hands one out twice.
    /// </summary>
    private void AdoptReclaimed(uint last)
    {
        foreach (var start in _foreign.Order().ToList())
        {
            if (_blocks!.Acquire(_network, Subnet, start < Subnet.FirstVmAddress ? Subnet.FirstVmAddress : start))
            {
                _foreign.Remove(start);
                var rested = Environment.TickCount64 - (long)_blocks.Cooldown.TotalMilliseconds;
                for (var address = Math.Max(start, Subnet.FirstVmAddress); address <= last && address - start < (uint)_blocks.BlockSize; address++)
                {
                    _released.Enqueue((address, rested));
                }
            }
        }
    }

    /// <summary>Takes the address <see cref="Peek"/> returned, once it is durably recorded: a VM's, or with <paramref name="slot"/> a pool slot's.</summary>
    public void Commit(Allocation allocation, bool slot = false)
    {
        if (allocation.Recycled)
        {
            _released.Dequeue();
        }

        // A recycled address carries the cursor as it was, or (cluster mode) past the other nodes' blocks it skipped.
        _nextUnused = allocation.NextUnused;

        if (slot)
        {
            Slots++;
        }
        else
        {
            Leased++;
        }
    }

    /// <summary>Puts a released address at the back of the reuse queue: a VM's, or with <paramref name="slot"/> a slot's.</summary>
    public void Release(uint address, bool slot = false)
    {
        _released.Enqueue((address, Environment.TickCount64));
        if (slot)
        {
            Slots--;
        }
        else
        {
            Leased--;
        }
    }

    private bool Rested(long releasedAt) => _blocks is null || Environment.TickCount64 - releasedAt >= (long)_blocks.Cooldown.TotalMilliseconds;

    /// <summary>A slot's address leased to a VM (acquire), or with <paramref name="toSlot"/> a VM's given back to a slot (release).</summary>
    public void Move(bool toSlot)
    {
        var step = toSlot ? 1 : -1;
        Slots += step;
        Leased -= step;
    }
}
