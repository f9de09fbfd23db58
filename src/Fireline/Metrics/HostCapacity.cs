namespace Fireline.Metrics;

/// <summary>The host's capacity figures: every network's, and the host namespace's neighbour-table entries.</summary>
public sealed record HostCapacity(IReadOnlyList<NetworkCapacity> Networks, int NeighbourEntries);
