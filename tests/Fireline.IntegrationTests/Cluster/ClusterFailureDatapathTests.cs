using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// A node that dies keeps no entry on the others: its endpoints live under its lease, so once the lease expires (its
/// TTL, 5 s, after the last keep-alive) etcd drops them, and the other nodes' watch removes its FDB and neighbour
/// entries; when it comes back, its reconcile publishes its VMs again and the others program them again.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class ClusterFailureDatapathTests : IDisposable
{
    private readonly ClusterFleet _fleet = new(nodes: 2);

    [Fact]
    public void A_node_killed_with_sigkill_leaves_no_fdb_or_neighbour_entry_on_the_other_after_its_lease_and_is_programmed_again_when_back()
    {
        _fleet.Define("tenant", """{"subnet":"10.72.0.0/24"}""");
        _fleet.Create(0, "a", "tenant");
        var remote = _fleet.Create(1, "b", "tenant");
        var tunnel = $"dst {ClusterFleet.UnderlayAddress(1)}";
        Eventually.True(() => _fleet.Tunnels(0, remote.GuestMac, 1) &&
                              _fleet.PermanentNeighbours(0).Contains(remote.Ipv4.Address + " ", StringComparison.Ordinal), "node-0 programs node-1's VM");

        _fleet.Kill(1);

        Eventually.True(() => !_fleet.Fdb(0).Contains(tunnel, StringComparison.Ordinal) &&
                              !_fleet.PermanentNeighbours(0).Contains(remote.Ipv4.Address + " ", StringComparison.Ordinal),
            $"node-0 removed every entry of the dead node-1; FDB now:\n{_fleet.Fdb(0)}");

        _fleet.Daemons[1].Start();

        Eventually.True(() => _fleet.Tunnels(0, remote.GuestMac, 1), "node-1's VM programmed again after its restart");
    }

    public void Dispose() => _fleet.Dispose();
}
