using Fireline.Addressing;
using Fireline.Policy;

namespace Fireline.State;

/// <summary>
/// Durable state behind a narrow interface: host settings, networks, VMs with their leases and lifecycle,
/// and each network's queue of released addresses. Each method is one transaction. Implementations: SQLite
/// (the product) and an in-memory fake in the unit tests; one contract test suite runs against both.
/// </summary>
public interface IStateStore : IDisposable
{
    /// <summary>
    /// A number that changes with every write (the state directory's lock keeps other processes from writing): what
    /// lets a reader keep what it derived from the state until the next write, and know when that is. Read it before
    /// reading the state, so what is kept is never older than the number it is kept under.
    /// </summary>
    long Generation { get; }

    HostState? GetHost();

    void SaveHost(HostState host);

    /// <summary>A small named value (what was last applied to the firewall, ...); null when never saved.</summary>
    string? GetSetting(string key);

    void SaveSetting(string key, string value);

    /// <summary>Every setting whose key starts with <paramref name="prefix"/>, by key.</summary>
    IReadOnlyDictionary<string, string> ListSettings(string prefix);

    /// <summary>Removes a setting; nothing happens when there is none.</summary>
    void DeleteSetting(string key);

    IReadOnlyList<NetworkState> ListNetworks();

    NetworkState? GetNetwork(string name);

    /// <summary>Inserts or updates a network's spec; a new network's cursor starts at <paramref name="nextUnused"/>.</summary>
    void SaveNetwork(NetworkSpec spec, uint nextUnused);

    /// <summary>Removes a network and its released queue; the caller checks no VM uses it.</summary>
    void DeleteNetwork(string name);

    IReadOnlyList<VmState> ListVms();

    VmState? GetVm(VmId vmId);

    /// <summary>Released addresses of a network, least recently released first.</summary>
    IReadOnlyList<uint> ListReleased(string network);

    /// <summary>
    /// The create intent: stores the VM (lifecycle Creating) with its lease and the allocator's move, at once.
    /// Throws <see cref="InvalidOperationException"/> if the id or the address is already taken.
    /// </summary>
    void AddVm(VmState vm, Allocation allocation);

    void SetLifecycle(VmId vmId, VmLifecycle lifecycle);

    /// <summary>Replaces a VM's options (its rate limits change; its lease does not).</summary>
    void SetOptions(VmId vmId, VmOptions options);

    /// <summary>Removes the VM with its port forwards and puts its address at the back of its network's released queue, at once.</summary>
    void RemoveVm(VmId vmId);

    /// <summary>Every network's warm-pool slots, by network and address.</summary>
    IReadOnlyList<PoolSlot> ListSlots();

    /// <summary>
    /// The fill intent: stores the slot with its lease and the allocator's move, at once. Throws
    /// <see cref="InvalidOperationException"/> if the address is already a slot's.
    /// </summary>
    void AddSlot(PoolSlot slot, Allocation allocation);

    void SetSlotState(string network, uint address, SlotState state);

    /// <summary>Removes a slot and puts its address at the back of its network's released queue, at once.</summary>
    void RemoveSlot(string network, uint address);

    /// <summary>
    /// An acquire: the slot's lease becomes the VM's (stored as <paramref name="vm"/>, which names the slot's address),
    /// at once. Throws <see cref="InvalidOperationException"/> if the VM id is taken or the slot is gone.
    /// </summary>
    void TakeSlot(VmState vm);

    /// <summary>A release into the pool: the VM (with its forwards) becomes a slot of its address in <paramref name="state"/>, at once.</summary>
    void ReturnSlot(VmId vmId, SlotState state);

    IReadOnlyList<PortForward> ListForwards();

    /// <summary>Records a port forward; throws <see cref="InvalidOperationException"/> when the host port and protocol are taken.</summary>
    void AddForward(PortForward forward);

    void RemoveForward(ForwardProtocol protocol, int hostPort);

    /// <summary>SR-IOV virtual functions given to VMs, by physical function and index.</summary>
    IReadOnlyList<VfAllocation> ListVfs();

    /// <summary>
    /// Records a VF given to a VM, before it is moved. Throws <see cref="InvalidOperationException"/> when that VF
    /// is taken or the VM already has one. Not tied to the VM's record: reconcile releases one that outlived it.
    /// </summary>
    void AddVf(VfAllocation allocation);

    void RemoveVf(VmId vmId);
}
