using Fireline.Errors;
using Fireline.Networks;
using Fireline.State;

namespace Fireline.Cluster;

/// <summary>
/// What a node must change to hold the cluster's networks: each definition that passes the value checks and differs
/// from the node's own (or that it lacks) is applied; each network the cluster deleted that the node still has is
/// removed. A network the node has and the cluster never defined nor deleted (host init's default, one from the
/// configuration file) is the node's own and stays. An invalid definition is never applied: it is reported.
/// </summary>
public sealed record NetworkFollowing(IReadOnlyList<NetworkFile> Apply, IReadOnlyList<string> Remove, IReadOnlyList<string> Problems)
{
    public bool Changes => Apply.Count > 0 || Remove.Count > 0;

    public static NetworkFollowing Plan(IReadOnlyDictionary<string, NetworkSpec> local, NetworkDefinitions cluster)
    {
        var apply = new List<NetworkFile>();
        var problems = new List<string>(cluster.Skipped);
        foreach (var spec in cluster.Defined.Where(s => !local.TryGetValue(s.Name, out var own) || own != s))
        {
            try
            {
                apply.Add(NetworkFile.FromSpec(spec));
            }
            catch (FirelineException invalid)
            {
                problems.Add($"the cluster's definition of network {UserText.Quote(spec.Name)} is invalid ({invalid.Message}); skipped");
            }
        }

        var defined = cluster.Defined.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var remove = cluster.Deleted.Where(name => local.ContainsKey(name) && !defined.Contains(name)).Order(StringComparer.Ordinal).ToList();
        return new NetworkFollowing(apply, remove, problems);
    }
}
