using Fireline.State;

namespace Fireline.Cluster;

/// <summary>
/// The cluster's networks as etcd holds them at one revision: the defined ones (not yet validated: the follower
/// does that), the names deleted (tombstones), and why any definition was skipped unread.
/// </summary>
public sealed record NetworkDefinitions(IReadOnlyList<NetworkSpec> Defined, IReadOnlyList<string> Deleted, IReadOnlyList<string> Skipped);
