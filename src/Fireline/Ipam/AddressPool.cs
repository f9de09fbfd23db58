using Fireline.Addressing;
using Fireline.State;

namespace Fireline.Ipam;

/// <summary>
/// One network's IPv4 pool. The whole subnet is usable but for network, gateway and broadcast. Addresses
/// never handed out come first, in order (a cursor); after that, released addresses are reused least recently
/// released first, so an address rests as long as possible before it is reused. Both steps are O(1), however
/// full the subnet is. Not thread-safe: the caller holds <see cref="SyncRoot"/> across allocate, the durable
/// write, and commit.
/// </summary>
public sealed class AddressPool
{
    private readonly Queue<uint> _released;
    private uint _nextUnused;

    public AddressPool(Ipv4Network subnet, uint nextUnused, IEnumerable<uint> released, int leased, int slots = 0)
    {
        Subnet = subnet;
        _nextUnused = Math.Max(nextUnused, subnet.FirstVmAddress);
        _released = new Queue<uint>(released);
        Leased = leased;
        Slots = slots;
    }

    public Ipv4Network Subnet { get; }

    public Lock SyncRoot { get; } = new();

    /// <summary>Addresses currently leased to VMs.</summary>
    public int Leased { get; private set; }

    /// <summary>Addresses held by the network's warm-pool slots (each with its own bridge port, as a VM's).</summary>
    public int Slots { get; private set; }

    /// <summary>Bridge ports in use: one per VM and one per slot.</summary>
    public int Ports => Leased + Slots;

    public long Free => Subnet.VmCapacity - Leased - Slots;

    /// <summary>The cursor a new network starts with.</summary>
    public static uint InitialCursor(Ipv4Network subnet) => subnet.FirstVmAddress;

    /// <summary>Picks the next address without taking it; null when the subnet is exhausted.</summary>
    public Allocation? Peek()
    {
        if (_nextUnused <= Subnet.LastVmAddress && Subnet.VmCapacity > 0)
        {
            return new Allocation(_nextUnused, _nextUnused + 1, Recycled: false);
        }

        return _released.TryPeek(out var address) ? new Allocation(address, _nextUnused, Recycled: true) : null;
    }

    /// <summary>Takes the address <see cref="Peek"/> returned, once it is durably recorded: a VM's, or with <paramref name="slot"/> a pool slot's.</summary>
    public void Commit(Allocation allocation, bool slot = false)
    {
        if (allocation.Recycled)
        {
            _released.Dequeue();
        }
        else
        {
            _nextUnused = allocation.NextUnused;
        }

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
        _released.Enqueue(address);
        if (slot)
        {
            Slots--;
        }
        else
        {
            Leased--;
        }
    }

    /// <summary>A slot's address leased to a VM (acquire), or with <paramref name="toSlot"/> a VM's given back to a slot (release).</summary>
    public void Move(bool toSlot)
    {
        var step = toSlot ? 1 : -1;
        Slots += step;
        Leased -= step;
    }
}
