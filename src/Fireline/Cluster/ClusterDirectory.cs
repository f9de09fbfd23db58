using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>Reads the cluster's nodes from etcd: records, liveness keys and blocks in one transaction, so all come from one revision.</summary>
public static class ClusterDirectory
{
    /// <summary>Every registered node, alive or not, ordered by name; throws <c>cluster-unavailable</c> when etcd does not answer.</summary>
    public static async Task<ClusterStatus> ReadAsync(ClusterOptions options)
    {
        using var client = Etcd.Connect(options);
        return await ReadAsync(client, options).ConfigureAwait(false);
    }

    internal static async Task<ClusterStatus> ReadAsync(EtcdClient client, ClusterOptions options)
    {
        var request = new TxnRequest();
        request.Success.Add(Range(ClusterKeys.Nodes));
        request.Success.Add(Range(ClusterKeys.Alive));
        request.Success.Add(Range(ClusterKeys.Blocks));
        var answer = await Etcd.Call("reading the nodes", deadline => client.TransactionAsync(request, deadline: deadline)).ConfigureAwait(false);
        var blocks = answer.Responses[2].ResponseRange.Kvs.ToLookup(kv => kv.Value.ToStringUtf8(), kv => ClusterBlocks.Describe(kv.Key), StringComparer.Ordinal);
        var alive = answer.Responses[1].ResponseRange.Kvs.Select(kv => kv.Key.ToStringUtf8()[ClusterKeys.Alive.Length..]).ToHashSet(StringComparer.Ordinal);
        var nodes = answer.Responses[0].ResponseRange.Kvs
            .Select(kv => (Name: kv.Key.ToStringUtf8()[ClusterKeys.Nodes.Length..], Record: NodeRecord.FromJson(kv.Value.Span)))
            .Select(n => new NodeStatus(n.Name, n.Record?.UnderlayAddress ?? "unknown", alive.Contains(n.Name), [.. blocks[n.Name].Order(StringComparer.Ordinal)]))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        return new ClusterStatus(options.Node, [.. options.Endpoints.Select(e => e.GetLeftPart(UriPartial.Authority))], nodes);
    }

    internal static RequestOp Range(string prefix)
        => new() { RequestRange = new RangeRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = ClusterKeys.RangeEnd(prefix) } };
}
