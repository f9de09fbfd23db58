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

    public AddressPool(Ipv4Network subnet, uint nextUnused, IEnumerable<uint> released, int leased)
    {
        Subnet = subnet;
        _nextUnused = Math.Max(nextUnused, subnet.FirstVmAddress);
        _released = new Queue<uint>(released);
        Leased = leased;
    }

    public Ipv4Network Subnet { get; }

    public Lock SyncRoot { get; } = new();

    /// <summary>Addresses currently leased to VMs.</summary>
    public int Leased { get; private set; }

    public long Free => Subnet.VmCapacity - Leased;

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

    /// <summary>Takes the address <see cref="Peek"/> returned, once it is durably recorded.</summary>
    public void Commit(Allocation allocation)
    {
        if (allocation.Recycled)
        {
            _released.Dequeue();
        }
        else
        {
            _nextUnused = allocation.NextUnused;
        }

        Leased++;
    }

    /// <summary>Puts a released address at the back of the reuse queue.</summary>
    public void Release(uint address)
    {
        _released.Enqueue(address);
        Leased--;
    }
}
