using Fireline.State;

namespace Fireline.Cluster;

/// <summary>Where a cluster node's network changes go (etcd, <see cref="ClusterNetworks"/>): every node follows them.</summary>
public interface INetworkDefinitions
{
    /// <summary>
    /// Defines and deletes networks for the whole cluster in one transaction; throws <c>cluster-unavailable</c> when
    /// etcd does not answer and <c>conflict</c> when a deleted network has VMs on a node or what it read changed
    /// meanwhile, having written nothing.
    /// </summary>
    void Write(IReadOnlyList<NetworkSpec> defined, IReadOnlyList<string> deleted);
}
