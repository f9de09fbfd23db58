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
/// keys go (the grace period is the lease's TTL). A create or delete is published right after it, by a background loop
/// (so the create's answer never waits for etcd); when etcd does not answer, the operation still succeeds (running VMs keep their traffic, and a create inside a held block needs no etcd), and
/// a full resync (this node's keys made exactly its VMs, under the current lease) runs once etcd answers again, as it
/// does at start and after the node registered under a new lease.
/// </summary>
public sealed class ClusterEndpoints : IVmEndpoints
{
    private const int OpsPerTransaction = 100; // etcd refuses more than 128 operations in one transaction by default
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly EtcdClient _client;
    private readonly ClusterOptions _options;
    private readonly Func<long> _lease;
    private readonly Action<string> _log;
    private readonly NetworkIds _vnis;
    private readonly Func<VmRecord, bool> _holds;
    private readonly ConcurrentDictionary<string, ByteString> _published = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string VmId, VmRecord? Vm)> _changes = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private Func<IReadOnlyList<VmRecord>>? _local;
    private volatile bool _dirty = true;

    /// <param name="holds">Whether this node holds the block of a VM's address: a VM whose block was reclaimed while this node was gone is not published.</param>
    internal ClusterEndpoints(EtcdClient client, ClusterOptions options, Func<long> lease, NetworkIds vnis, Func<VmRecord, bool> holds, Action<string> log)
    {
        _holds = holds;
        _client = client;
        _options = options;
        _lease = lease;
        _vnis = vnis;
        _log = log;
    }

    /// <summary>Told after every change this node made (the data path converges then).</summary>
    internal Action Changed { get; set; } = () => { };

    /// <summary>Queues the VM's publication: the create's answer never waits for etcd.</summary>
    public void Published(VmRecord vm) => Queue(vm.VmId, vm);

    /// <summary>Queues the removal of the VM's endpoint.</summary>
    public void Withdrawn(string vmId) => Queue(vmId, null);

    /// <summary>After a new lease (the old one expired with every key under it): everything is published again.</summary>
    internal void LeaseChanged()
    {
        _dirty = true;
        Signal();
    }

    /// <summary>
    /// Publishes queued changes as they come, one etcd call each; resyncs instead at start, after a failure (retried
    /// every second until etcd answers) and after a new lease. Runs until <paramref name="stop"/>.
    /// </summary>
    internal async Task RunAsync(Func<IReadOnlyList<VmRecord>> local, CancellationToken stop)
    {
        _local = local;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_dirty)
                {
                    _dirty = false;
                    _changes.Clear(); // the resync reads every VM after this: what is queued from now on comes after it
                    await ResyncAsync().ConfigureAwait(false);
                }

                while (_changes.TryDequeue(out var change))
                {
                    await ApplyAsync(change.VmId, change.Vm).ConfigureAwait(false);
                }

                Changed();
            }
            catch (FirelineException error)
            {
                Postpone(error);
            }

            try
            {
                await _signal.WaitAsync(_dirty ? RetryDelay : Timeout.InfiniteTimeSpan, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ApplyAsync(string vmId, VmRecord? vm)
    {
        if (vm is not null && _holds(vm))
        {
            var endpoint = ClusterEndpoint.Of(vm, _vnis.Claim(vm), _options);
            await Etcd.Call("publishing an endpoint", deadline => _client.PutAsync(new PutRequest { Key = endpoint.Key, Value = endpoint.ToJson(), Lease = _lease() }, deadline: deadline))
                .ConfigureAwait(false);
            _published[vmId] = endpoint.Key;
        }
        else if (vm is null && _published.TryRemove(vmId, out var key))
        {
            await Etcd.Call("withdrawing an endpoint", deadline => _client.DeleteAsync(new DeleteRangeRequest { Key = key }, deadline: deadline)).ConfigureAwait(false);
        }
        else if (vm is null)
        {
            _dirty = true; // never published, or published by an earlier run: the resync finds its key
        }
    }

    private void Queue(string vmId, VmRecord? vm)
    {
        _changes.Enqueue((vmId, vm));
        Signal();
    }

    private void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // the loop is due to run already
        }
    }

    /// <summary>This node's keys made exactly its VMs' endpoints, each put again under the current lease.</summary>
    private async Task ResyncAsync()
    {
        var vms = new List<VmRecord>();
        foreach (var vm in _local?.Invoke() ?? [])
        {
            if (_holds(vm))
            {
                vms.Add(vm);
            }
            else
            {
                _log($"VM {vm.VmId} ({vm.Ipv4.Address}) is not published: its address block was reclaimed while node '{_options.Node}' was gone, and another node may hand its address out; delete it and create it again");
            }
        }

        var wanted = vms.Select(vm => ClusterEndpoint.Of(vm, _vnis.Claim(vm), _options)).ToList();
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
