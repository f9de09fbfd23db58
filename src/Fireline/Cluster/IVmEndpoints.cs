using Fireline.Vms;

namespace Fireline.Cluster;

/// <summary>
/// Where the engine reports the VMs it made and removed, so that a cluster node publishes them as endpoints
/// (<see cref="ClusterEndpoints"/>). Called after the local operation is whole (its state committed): never fails the
/// operation; what cannot be published now is published when etcd answers again.
/// </summary>
public interface IVmEndpoints
{
    void Published(VmRecord vm);

    void Withdrawn(string vmId);
}
