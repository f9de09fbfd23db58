using Fireline.Addressing;
using Fireline.Policy;
using Fireline.State;

namespace Fireline.Tests.State;

/// <summary>The store's contract kept in memory: the fake the contract tests hold SQLite to. Same semantics as SQLite's.</summary>
public sealed class InMemoryStateStore : IStateStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, NetworkState> _networks = new(StringComparer.Ordinal);
    private readonly SortedDictionary<VmId, VmState> _vms = new();
    private readonly List<(long Seq, string Network, uint Address)> _released = [];
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);
    private readonly List<PortForward> _forwards = [];
    private readonly List<VfAllocation> _vfs = [];
    private readonly SortedDictionary<(string Network, uint Address), SlotState> _slots = [];
    private HostState? _host;
    private long _sequence;
    private long _generation;

    public long Generation
    {
        get
        {
            lock (_lock)
            {
                return _generation;
            }
        }
    }

    public HostState? GetHost()
    {
        lock (_lock)
        {
            return _host;
        }
    }

    public void SaveHost(HostState host)
    {
        lock (_lock)
        {
            _generation++;
            _host = host;
        }
    }

    public string? GetSetting(string key)
    {
        lock (_lock)
        {
            return _settings.GetValueOrDefault(key);
        }
    }

    public void SaveSetting(string key, string value)
    {
        lock (_lock)
        {
            _generation++;
            _settings[key] = value;
        }
    }

    public IReadOnlyDictionary<string, string> ListSettings(string prefix)
    {
        lock (_lock)
        {
            return _settings.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        }
    }

    public void DeleteSetting(string key)
    {
        lock (_lock)
        {
            _generation++;
            _settings.Remove(key);
        }
    }

    public IReadOnlyList<NetworkState> ListNetworks()
    {
        lock (_lock)
        {
            return [.. _networks.Values];
        }
    }

    public NetworkState? GetNetwork(string name)
    {
        lock (_lock)
        {
            return _networks.GetValueOrDefault(name);
        }
    }

    public void SaveNetwork(NetworkSpec spec, uint nextUnused)
    {
        lock (_lock)
        {
            _generation++;
            _networks[spec.Name] = _networks.TryGetValue(spec.Name, out var existing) ? existing with { Spec = spec } : new NetworkState(spec, nextUnused);
        }
    }

    public void DeleteNetwork(string name)
    {
        lock (_lock)
        {
            _generation++;
            _networks.Remove(name);
            _released.RemoveAll(r => r.Network == name);
            foreach (var key in _slots.Keys.Where(k => k.Network == name).ToList())
            {
                _slots.Remove(key);
            }
        }
    }

    public IReadOnlyList<VmState> ListVms()
    {
        lock (_lock)
        {
            return [.. _vms.Values];
        }
    }

    public VmState? GetVm(VmId vmId)
    {
        lock (_lock)
        {
            return _vms.GetValueOrDefault(vmId);
        }
    }

    public IReadOnlyList<uint> ListReleased(string network)
    {
        lock (_lock)
        {
            return [.. _released.Where(r => r.Network == network).OrderBy(r => r.Seq).Select(r => r.Address)];
        }
    }

    public void AddVm(VmState vm, Allocation allocation)
    {
        lock (_lock)
        {
            _generation++;
            if (!_networks.ContainsKey(vm.Network))
            {
                throw new InvalidOperationException($"network {vm.Network} is not recorded");
            }

            if (_vms.ContainsKey(vm.VmId) || _vms.Values.Any(v => v.Network == vm.Network && v.Address == vm.Address))
            {
                throw new InvalidOperationException($"VM {vm.VmId} or address {vm.Address} is already recorded");
            }

            _vms[vm.VmId] = vm;
            MoveAllocator(vm.Network, allocation);
        }
    }

    private void MoveAllocator(string name, Allocation allocation)
    {
        _networks[name] = _networks[name] with { NextUnused = allocation.NextUnused };
        if (allocation.Recycled)
        {
            var index = _released.FindIndex(r => r.Network == name && r.Address == allocation.Address);
            if (index >= 0)
            {
                _released.RemoveAt(index);
            }
        }
    }

    public IReadOnlyList<PoolSlot> ListSlots()
    {
        lock (_lock)
        {
            return [.. _slots.Select(s => new PoolSlot(s.Key.Network, s.Key.Address, s.Value))];
        }
    }

    public void AddSlot(PoolSlot slot, Allocation allocation)
    {
        lock (_lock)
        {
            _generation++;
            if (!_networks.ContainsKey(slot.Network) || !_slots.TryAdd((slot.Network, slot.Address), slot.State))
            {
                throw new InvalidOperationException($"address {slot.Address} of network {slot.Network} is already a slot's");
            }

            MoveAllocator(slot.Network, allocation);
        }
    }

    public void SetSlotState(string network, uint address, SlotState state)
    {
        lock (_lock)
        {
            _generation++;
            if (_slots.ContainsKey((network, address)))
            {
                _slots[(network, address)] = state;
            }
        }
    }

    public void RemoveSlot(string network, uint address)
    {
        lock (_lock)
        {
            _generation++;
            if (_slots.Remove((network, address)))
            {
                _released.Add((++_sequence, network, address));
            }
        }
    }

    public void TakeSlot(VmState vm)
    {
        lock (_lock)
        {
            _generation++;
            if (!_slots.ContainsKey((vm.Network, vm.Address)) || _vms.ContainsKey(vm.VmId))
            {
                throw new InvalidOperationException($"no slot of address {vm.Address} in network {vm.Network}, or VM {vm.VmId} exists");
            }

            _slots.Remove((vm.Network, vm.Address));
            _vms[vm.VmId] = vm;
        }
    }

    public void ReturnSlot(VmId vmId, SlotState state)
    {
        lock (_lock)
        {
            _generation++;
            if (_vms.Remove(vmId, out var vm))
            {
                _slots[(vm.Network, vm.Address)] = state;
                _forwards.RemoveAll(f => f.VmId == vmId);
            }
        }
    }

    public void SetLifecycle(VmId vmId, VmLifecycle lifecycle)
    {
        lock (_lock)
        {
            _generation++;
            if (_vms.TryGetValue(vmId, out var vm))
            {
                _vms[vmId] = vm with { Lifecycle = lifecycle };
            }
        }
    }

    public void SetOptions(VmId vmId, VmOptions options)
    {
        lock (_lock)
        {
            _generation++;
            if (_vms.TryGetValue(vmId, out var vm))
            {
                _vms[vmId] = vm with { Options = options };
            }
        }
    }

    public void RemoveVm(VmId vmId)
    {
        lock (_lock)
        {
            _generation++;
            if (_vms.Remove(vmId, out var vm))
            {
                _released.Add((++_sequence, vm.Network, vm.Address));
                _forwards.RemoveAll(f => f.VmId == vmId);
            }
        }
    }

    public IReadOnlyList<PortForward> ListForwards()
    {
        lock (_lock)
        {
            return [.. _forwards.OrderBy(f => f.Protocol.Name(), StringComparer.Ordinal).ThenBy(f => f.HostPort)
                .Select(f => f with { VmAddress = Ipv4Network.Format(_vms[f.VmId].Address) })];
        }
    }

    public void AddForward(PortForward forward)
    {
        lock (_lock)
        {
            _generation++;
            if (!_vms.ContainsKey(forward.VmId) || _forwards.Any(f => f.Protocol == forward.Protocol && f.HostPort == forward.HostPort))
            {
                throw new InvalidOperationException($"{forward.Protocol.Name()} port {forward.HostPort} is already forwarded");
            }

            _forwards.Add(forward with { VmAddress = null });
        }
    }

    public void RemoveForward(ForwardProtocol protocol, int hostPort)
    {
        lock (_lock)
        {
            _generation++;
            _forwards.RemoveAll(f => f.Protocol == protocol && f.HostPort == hostPort);
        }
    }

    public IReadOnlyList<VfAllocation> ListVfs()
    {
        lock (_lock)
        {
            return [.. _vfs.OrderBy(v => v.Pf, StringComparer.Ordinal).ThenBy(v => v.Index)];
        }
    }

    public void AddVf(VfAllocation allocation)
    {
        lock (_lock)
        {
            _generation++;
            if (_vfs.Any(v => (v.Pf == allocation.Pf && v.Index == allocation.Index) || v.VmId == allocation.VmId))
            {
                throw new InvalidOperationException($"VF {allocation.Pf}#{allocation.Index} or VM {allocation.VmId} already has an allocation");
            }

            _vfs.Add(allocation);
        }
    }

    public void RemoveVf(VmId vmId)
    {
        lock (_lock)
        {
            _generation++;
            _vfs.RemoveAll(v => v.VmId == vmId);
        }
    }

    public void Dispose()
    {
    }
}
