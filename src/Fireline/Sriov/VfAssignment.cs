namespace Fireline.Sriov;

/// <summary>A VM's SR-IOV VF in its record: which VF, its name in the host namespace, and its name in the VM's (<c>vf0</c>).</summary>
public sealed record VfAssignment(string Pf, int Index, string HostDevice, string Device);
