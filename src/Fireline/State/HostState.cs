namespace Fireline.State;

/// <summary>What <c>fireline host init</c> set up: the uplink NAT goes out of, and whether NAT is on.</summary>
public sealed record HostState(string Uplink, bool Nat);
