using Fireline.Addressing;
using Fireline.Errors;
using Fireline.State;

namespace Fireline.Ipam;

/// <summary>Every network's address pool, loaded from the store once and kept in step with it.</summary>
public sealed class NetworkPools
{
    private readonly Dictionary<string, AddressPool> _pools = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly IAddressBlocks? _blocks;

    /// <param name="blocks">The cluster's address blocks every pool hands out from; null: single-host mode.</param>
    public NetworkPools(IStateStore store, IAddressBlocks? blocks = null)
    {
        _blocks = blocks;
        var leased = store.ListVms().GroupBy(v => v.Network).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var slots = store.ListSlots().GroupBy(s => s.Network).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var network in store.ListNetworks())
        {
            _pools[network.Name] = new AddressPool(network.Spec.Subnet, network.NextUnused,
                store.ListReleased(network.Name), leased.GetValueOrDefault(network.Name), slots.GetValueOrDefault(network.Name), network.Name, blocks);
        }
    }

    public AddressPool Get(string network)
    {
        lock (_lock)
        {
            return _pools.TryGetValue(network, out var pool) ? pool : throw DomainErrors.NetworkNotFound(network);
        }
    }

    /// <summary>Registers a new network's pool; an existing network keeps its pool (its subnet cannot change).</summary>
    /// <summary>How many addresses the network has leased (its VMs, also those being made or removed); 0 for no such network.</summary>
    public int Leased(string network)
    {
        lock (_lock)
        {
            if (!_pools.TryGetValue(network, out var pool))
            {
                return 0;
            }

            lock (pool.SyncRoot)
            {
                return pool.Leased;
            }
        }
    }

    public void Add(string network, Ipv4Network subnet)
    {
        lock (_lock)
        {
            _pools.TryAdd(network, new AddressPool(subnet, AddressPool.InitialCursor(subnet), [], 0, network: network, blocks: _blocks));
        }
    }

    public void Remove(string network)
    {
        lock (_lock)
        {
            _pools.Remove(network);
        }
    }
}
