using Fireline.Addressing;

namespace Fireline.State;

/// <summary>
/// An SR-IOV virtual function given to a VM: its physical function, its index there (<c>virtfnN</c>) and the
/// netdev name it had in the host namespace, which it gets back when released.
/// </summary>
public sealed record VfAllocation(VmId VmId, string Pf, int Index, string Device);
