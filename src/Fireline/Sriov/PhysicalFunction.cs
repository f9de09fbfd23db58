namespace Fireline.Sriov;

/// <summary>
/// An SR-IOV capable NIC port (<c>class/net/PF/device/sriov_totalvfs</c>): how many VFs it can have, how many
/// are enabled (<c>sriov_numvfs</c>), and the enabled VFs that have a netdev in the sysfs mount's namespace.
/// </summary>
public sealed record PhysicalFunction(string Name, int TotalVfs, int EnabledVfs, IReadOnlyList<VirtualFunction> VirtualFunctions);
