namespace Fireline.Sriov;

/// <summary>A VF as sysfs shows it: <c>class/net/PF/device/virtfnINDEX/net/DEVICE</c>.</summary>
public sealed record VirtualFunction(string Pf, int Index, string Device);
