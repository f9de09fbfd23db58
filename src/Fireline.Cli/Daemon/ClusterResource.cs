using Fireline.Cli.Output;
using Fireline.Cluster;
using Microsoft.AspNetCore.Http;

namespace Fireline.Cli.Daemon;

/// <summary><c>/v1/cluster</c>: the cluster this daemon's node belongs to, as <c>fireline cluster status</c>.</summary>
internal sealed class ClusterResource(ClusterMember? member)
{
    /// <summary><c>GET /v1/cluster</c>: every node, alive or gone; 404 cluster-not-configured in single-host mode.</summary>
    public IResult Get()
        => Results.Json((member ?? throw ClusterErrors.NotClustered()).Status(), CliJson.Api.ClusterStatus);
}
