using dotnet_etcd;
using Etcdserverpb;
using Fireline.Errors;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// Gives the address blocks of a gone node back to the pool, Calico's way: every live node watches, from one read of
/// the records, liveness keys and blocks (one revision), which nodes hold blocks and are not alive, and from when it
/// saw each so (its own clock, restarted whenever the node registers again: its record is rewritten then). Once it has
/// seen a node gone for <see cref="ClusterOptions.BlockReclaimAfter"/>, it deletes that node's blocks, each in one
/// transaction that holds only while the node is still not alive (no liveness key), has not registered since (its
/// record's mod_revision) and the block still names it (its mod_revision). Two nodes reclaiming at once race
/// harmlessly: the second transaction finds the block changed and does nothing. A block reclaimed is forgotten by
/// this node's cache, so its next claim asks etcd.
/// </summary>
internal sealed class ClusterReclaimer(EtcdClient client, ClusterOptions options, ClusterBlocks blocks, Action<string> log)
{
    private readonly Dictionary<(string Node, long Registered), long> _goneSince = [];

    /// <summary>How often the cluster is looked at: often enough to reclaim within a sixth of the delay, at most every 10 s.</summary>
    private TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(options.BlockReclaimAfter.Ticks / 6, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await PassAsync().ConfigureAwait(false);
            }
            catch (FirelineException error)
            {
                // etcd unreachable: nothing is reclaimed meanwhile (the clocks keep running, the transactions re-check).
                log($"reclaiming the blocks of gone nodes waits for etcd: {error.Message}");
            }

            try
            {
                await Task.Delay(Interval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PassAsync()
    {
        var read = new TxnRequest();
        read.Success.Add(ClusterDirectory.Range(ClusterKeys.Nodes));
        read.Success.Add(ClusterDirectory.Range(ClusterKeys.Alive));
        read.Success.Add(ClusterDirectory.Range(ClusterKeys.Blocks));
        var answer = await Etcd.Call("reading the nodes' blocks", deadline => client.TransactionAsync(read, deadline: deadline)).ConfigureAwait(false);
        var records = answer.Responses[0].ResponseRange.Kvs.ToDictionary(kv => kv.Key.ToStringUtf8()[ClusterKeys.Nodes.Length..], kv => kv.ModRevision, StringComparer.Ordinal);
        var alive = answer.Responses[1].ResponseRange.Kvs.Select(kv => kv.Key.ToStringUtf8()[ClusterKeys.Alive.Length..]).ToHashSet(StringComparer.Ordinal);
        var gone = answer.Responses[2].ResponseRange.Kvs
            .GroupBy(kv => kv.Value.ToStringUtf8(), StringComparer.Ordinal)
            .Where(g => g.Key != options.Node && !alive.Contains(g.Key) && records.ContainsKey(g.Key))
            .ToDictionary(g => (Node: g.Key, Registered: records[g.Key]), g => g.ToList());
        var now = Environment.TickCount64;
        foreach (var stale in _goneSince.Keys.Where(k => !gone.ContainsKey(k)).ToList())
        {
            _goneSince.Remove(stale); // alive again, registered again, or holding nothing any more
        }

        foreach (var (node, held) in gone)
        {
            var since = _goneSince.TryAdd(node, now) ? now : _goneSince[node];
            if (now - since >= (long)options.BlockReclaimAfter.TotalMilliseconds)
            {
                foreach (var block in held)
                {
                    await ReclaimAsync(node.Node, node.Registered, block.Key, block.ModRevision).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task ReclaimAsync(string node, long registered, ByteString block, long revision)
    {
        var take = new TxnRequest();
        take.Compare.Add(new Compare { Key = ClusterKeys.Liveness(node), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        take.Compare.Add(new Compare { Key = ClusterKeys.Node(node), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = registered });
        take.Compare.Add(new Compare { Key = block, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = revision });
        take.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = block } });
        var answer = await Etcd.Call("reclaiming an address block", deadline => client.TransactionAsync(take, deadline: deadline)).ConfigureAwait(false);
        blocks.Forget(block.ToStringUtf8());
        if (answer.Succeeded)
        {
            log($"address block {ClusterBlocks.Describe(block)} of node '{node}' returned to the pool: the node has been gone for {options.BlockReclaimAfter.TotalSeconds} s");
        }
    }
}
