namespace Fireline.Metrics;

/// <summary>One network's use: its leases, its bridges' ports as the kernel counts them, and its warm pool's ready slots.</summary>
/// <param name="BridgePorts">Ports on each of the network's bridges that exists: its own, then each further segment's.</param>
public sealed record NetworkCapacity(string Network, IReadOnlyList<(string Bridge, int Ports)> BridgePorts, int LeasesUsed, long LeasesFree, int PoolReady = 0);
