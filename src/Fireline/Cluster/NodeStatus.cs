namespace Fireline.Cluster;

/// <summary>
/// One node as the cluster sees it: registered once, alive while its lease is kept, and the address blocks it holds
/// (<c>network:a.b.c.d/len</c>), which stay its own while it is gone, until the others reclaim them (<see cref="ClusterReclaimer"/>).
/// </summary>
public sealed record NodeStatus(string Name, string UnderlayAddress, bool Alive, IReadOnlyList<string> Blocks);

/// <summary><c>GET /v1/cluster</c> and <c>fireline cluster status</c>: this node's name and every node of the cluster.</summary>
public sealed record ClusterStatus(string Node, IReadOnlyList<string> Etcd, IReadOnlyList<NodeStatus> Nodes);
