namespace Fireline.State;

/// <summary>
/// What <c>fireline host init</c> set up: the uplink NAT and port forwards use, and whether NAT is on. A host
/// without NAT may have no uplink at all (VMs that only talk among themselves).
/// </summary>
public sealed record HostState(string? Uplink, bool Nat);
