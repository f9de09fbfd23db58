namespace Fireline.Metrics;

/// <summary>One network's use: its leases and its bridge's ports, as the kernel counts them.</summary>
public sealed record NetworkCapacity(string Network, string Bridge, int LeasesUsed, long LeasesFree, int BridgePorts);
