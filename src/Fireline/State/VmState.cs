using Fireline.Addressing;

namespace Fireline.State;

/// <summary>A VM as stored: the minimum from which its whole record is derived.</summary>
public sealed record VmState(VmId VmId, string Network, uint Address, VmOptions Options, VmLifecycle Lifecycle);
