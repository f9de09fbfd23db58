using System.Collections.Concurrent;
using dotnet_etcd;
using Etcdserverpb;
using Fireline.Errors;
using Fireline.Vms;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// This node's VMs as endpoints in etcd (<see cref="ClusterEndpoint"/>), every key under the node's lease: a node that
/// stops loses them with its lease, and the other nodes remove its FDB and neighbour entries as their watch sees the
/// keys go (the grace period is the lease's TTL). A create or delete publishes at once; when etcd does not answer,
/// the operation still succeeds (running VMs keep their traffic, and a create inside a held block needs no etcd), and
/// a full resync (this node's keys made exactly its VMs, under the current lease) runs once etcd answers again, as it
/// does at start and after the node registered under a new lease.
/// </summary>
public sealed class ClusterEndpoints : IVmEndpoints
{
    private const int OpsPerTransaction = 100; // etcd refuses more than 128 operations in one transaction by default

    private readonly EtcdClient _client;
    private readonly ClusterOptions _options;
    private readonly Func<long> _lease;
    private readonly Action<string> _log;
    private readonly NetworkIds _vnis;
    private readonly ConcurrentDictionary<string, ByteString> _published = new(StringComparer.Ordinal);
    private Func<IReadOnlyList<VmRecord>>? _local;
    private volatile bool _dirty = true;

    internal ClusterEndpoints(EtcdClient client, ClusterOptions options, Func<long> lease, NetworkIds vnis, Action<string> log)
    {
        _client = client;
        _options = options;
        _lease = lease;
        _vnis = vnis;
        _log = log;
    }

    /// <summary>Told after every change this node made (the data path converges then).</summary>
    internal Action Changed { get; set; } = () => { };

    public void Published(VmRecord vm)
    {
        try
        {
            var endpoint = ClusterEndpoint.Of(vm, _vnis.Claim(vm.Network), _options);
            Etcd.Call("publishing an endpoint", deadline => _client.PutAsync(new PutRequest { Key = endpoint.Key, Value = endpoint.ToJson(), Lease = _lease() }, deadline: deadline))
                .GetAwaiter().GetResult();
            _published[vm.VmId] = endpoint.Key;
        }
        catch (FirelineException error)
        {
            Postpone(error);
        }

        Changed();
    }

    public void Withdrawn(string vmId)
    {
        if (_published.TryRemove(vmId, out var key))
        {
            try
            {
                Etcd.Call("withdrawing an endpoint", deadline => _client.DeleteAsync(new DeleteRangeRequest { Key = key }, deadline: deadline)).GetAwaiter().GetResult();
            }
            catch (FirelineException error)
            {
                Postpone(error);
            }
        }
        else
        {
            _dirty = true; // never published, or published by an earlier run: the resync finds its key
        }

        Changed();
    }

    /// <summary>After a new lease (the old one expired with every key under it): everything is published again.</summary>
    internal void LeaseChanged() => _dirty = true;

    /// <summary>Resyncs (at start, after failures, after a new lease) until <paramref name="stop"/>, once a second at most.</summary>
    internal async Task RunAsync(Func<IReadOnlyList<VmRecord>> local, CancellationToken stop)
    {
        _local = local;
        while (!stop.IsCancellationRequested)
        {
            if (_dirty)
            {
                try
                {
                    _dirty = false;
                    await ResyncAsync().ConfigureAwait(false);
                    Changed();
                }
                catch (FirelineException error)
                {
                    Postpone(error);
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>This node's keys made exactly its VMs' endpoints, each put again under the current lease.</summary>
    private async Task ResyncAsync()
    {
        var vms = _local?.Invoke() ?? [];
        var wanted = vms.Select(vm => ClusterEndpoint.Of(vm, _vnis.Claim(vm.Network), _options)).ToList();
        var range = await Etcd.Call("reading this node's endpoints",
            deadline => _client.GetAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(ClusterKeys.Endpoints), RangeEnd = ClusterKeys.RangeEnd(ClusterKeys.Endpoints), KeysOnly = true },
                deadline: deadline)).ConfigureAwait(false);
        var keep = wanted.Select(e => e.Key).ToHashSet();
        var stale = range.Kvs.Select(kv => kv.Key).Where(k => IsOwn(k) && !keep.Contains(k));
        var lease = _lease();
        var ops = stale.Select(k => new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = k } })
            .Concat(wanted.Select(e => new RequestOp { RequestPut = new PutRequest { Key = e.Key, Value = e.ToJson(), Lease = lease } }));
        foreach (var chunk in ops.Chunk(OpsPerTransaction))
        {
            var request = new TxnRequest();
            request.Success.AddRange(chunk);
            await Etcd.Call("publishing this node's endpoints", deadline => _client.TransactionAsync(request, deadline: deadline)).ConfigureAwait(false);
        }

        _published.Clear();
        foreach (var (vm, endpoint) in vms.Zip(wanted))
        {
            _published[vm.VmId] = endpoint.Key;
        }
    }

    /// <summary>Whether a key is an endpoint of this node: <c>/fireline/endpoints/NETWORK/NODE/VMID</c>.</summary>
    private bool IsOwn(ByteString key)
        => key.ToStringUtf8()[ClusterKeys.Endpoints.Length..].Split('/') is [_, var node, _] && node == _options.Node;

    private void Postpone(FirelineException error)
    {
        _dirty = true;
        _log($"endpoints of node '{_options.Node}' are published when etcd answers again: {error.Message}");
    }
}
