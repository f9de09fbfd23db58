namespace Fireline.Cluster;

/// <summary>
/// The cluster's networks as etcd holds them at one revision: each defined network's name (its key) and text, not yet
/// parsed nor validated (<see cref="NetworkFollowing"/> does that), and the names deleted (tombstones).
/// </summary>
public sealed record NetworkDefinitions(IReadOnlyList<(string Name, ReadOnlyMemory<byte> Json)> Defined, IReadOnlyList<string> Deleted);
