namespace Fireline.Vms;

/// <summary>
/// What reconcile did to a recorded VM's devices: <see cref="Repaired"/> pieces it rebuilt or re-attached, and
/// <see cref="Adopted"/> devices it found without a mark (made before marks) and marked as this instance's.
/// </summary>
public sealed record VmRepair(IReadOnlyList<string> Repaired, IReadOnlyList<string> Adopted);
