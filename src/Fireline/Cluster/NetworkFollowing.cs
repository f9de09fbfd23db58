using Fireline.Errors;
using Fireline.Networks;
using Fireline.State;

namespace Fireline.Cluster;

/// <summary>
/// What a node must change to hold the cluster's networks: each definition that passes the value checks and differs
/// from the node's own (or that it lacks) is applied; each network the cluster deleted that the node still has is
/// removed. A network the node has and the cluster never defined nor deleted (host init's default, one from the
/// configuration file) is the node's own and stays. Every definition is read by the parser and validator an API body
/// goes through (<see cref="NetworkJson.Read"/>): one that fails is never applied, only reported.
/// </summary>
public sealed record NetworkFollowing(IReadOnlyList<NetworkFile> Apply, IReadOnlyList<string> Remove, IReadOnlyList<string> Problems)
{
    public bool Changes => Apply.Count > 0 || Remove.Count > 0;

    public static NetworkFollowing Plan(IReadOnlyDictionary<string, NetworkSpec> local, NetworkDefinitions cluster)
    {
        var apply = new List<NetworkFile>();
        var problems = new List<string>();
        foreach (var (name, json) in cluster.Defined)
        {
            try
            {
                var file = NetworkJson.Read(json, name);
                if (!local.TryGetValue(name, out var own) || own != file.Networks[0])
                {
                    apply.Add(file);
                }
            }
            catch (FirelineException invalid)
            {
                problems.Add($"the cluster's definition of network {UserText.Quote(name)} is invalid ({invalid.Message}); skipped");
            }
        }

        var defined = cluster.Defined.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var remove = cluster.Deleted.Where(name => local.ContainsKey(name) && !defined.Contains(name)).Order(StringComparer.Ordinal).ToList();
        return new NetworkFollowing(apply, remove, problems);
    }
}
