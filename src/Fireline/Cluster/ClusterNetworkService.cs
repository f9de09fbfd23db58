using Fireline.Errors;
using Fireline.Networks;
using Fireline.State;

namespace Fireline.Cluster;

/// <summary>
/// Networks on a cluster node: a change is validated here as a local apply would be (a dry run: nothing changes),
/// written to etcd in one transaction (<see cref="INetworkDefinitions"/>, the commit), then materialised on this node
/// at once by the same local apply; the other nodes materialise it from their watch (<see cref="Follow"/>), through
/// the same path. A refusal before the write leaves etcd and every node as they were.
/// </summary>
public sealed class ClusterNetworkService(INetworkDefinitions definitions, NetworkService networks, IStateStore store)
{
    /// <summary><c>network apply</c> (not a dry run) and <c>PUT /v1/networks/NAME</c>: pruned networks are deleted everywhere.</summary>
    public NetworkPlan Apply(NetworkFile file, bool prune)
    {
        var plan = networks.Apply(file, dryRun: true, prune);
        definitions.Write(file.Networks, [.. plan.Changes.Where(c => c.Action == "delete").Select(c => c.Network)]);
        return networks.Apply(file, dryRun: false, prune);
    }

    /// <summary>
    /// <c>network delete</c>: refused while this node's VMs use it (as on one host) or any other node has published
    /// an endpoint in it; then deleted in etcd, and here.
    /// </summary>
    public NetworkView Delete(string name)
    {
        networks.RequireUnused(name);
        definitions.Write([], [name]);
        return networks.Delete(name);
    }

    /// <summary>What this node must change to hold <paramref name="cluster"/>'s networks (read only).</summary>
    public NetworkFollowing Plan(NetworkDefinitions cluster)
        => NetworkFollowing.Plan(store.ListNetworks().ToDictionary(n => n.Name, n => n.Spec, StringComparer.Ordinal), cluster);

    /// <summary>
    /// Applies and removes what <paramref name="plan"/> says, each network on its own, so one that this node refuses
    /// (its bridge name taken here, a subnet overlapping a network of its own, its VMs still on a deleted network)
    /// does not hold up the others; returns every problem, for the log.
    /// </summary>
    public IReadOnlyList<string> Follow(NetworkFollowing plan)
    {
        var problems = new List<string>(plan.Problems);
        foreach (var file in plan.Apply)
        {
            var name = file.Networks[0].Name;
            try
            {
                networks.Apply(file, dryRun: false, prune: false);
            }
            catch (FirelineException refused)
            {
                problems.Add($"network {UserText.Quote(name)} of the cluster is not applied on this node ({refused.Code}): {refused.Message}");
            }
        }

        foreach (var name in plan.Remove)
        {
            try
            {
                networks.Delete(name);
            }
            catch (FirelineException refused)
            {
                problems.Add($"network {UserText.Quote(name)}, deleted in the cluster, stays on this node ({refused.Code}): {refused.Message}");
            }
        }

        return problems;
    }
}
