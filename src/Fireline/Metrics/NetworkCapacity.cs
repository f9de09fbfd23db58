namespace Fireline.Metrics;

/// <summary>One network's use: its leases, its bridge's ports as the kernel counts them, and its warm pool's ready slots.</summary>
public sealed record NetworkCapacity(string Network, string Bridge, int LeasesUsed, long LeasesFree, int BridgePorts, int PoolReady = 0);
