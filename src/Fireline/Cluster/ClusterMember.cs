using dotnet_etcd;
using Etcdserverpb;
using Fireline.Errors;
using Fireline.Ipam;
using Fireline.Vms;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// This node's membership: its record, and its liveness key under an etcd lease that a background loop keeps alive.
/// When the keep-alive stream breaks (an etcd member stops, the network drops) the loop reconnects; when the lease
/// expired meanwhile, it registers again under a new one, so a node that comes back is listed alive again without
/// a restart. Dispose revokes the lease: a node that stops cleanly is gone at once, not after its TTL.
/// </summary>
public sealed class ClusterMember : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ConfirmInterval = TimeSpan.FromSeconds(1);

    private readonly EtcdClient _client;
    private readonly NodeRecord _record;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private long _lease;
    private Task _keeper = Task.CompletedTask;
    private Task _confirmer = Task.CompletedTask;
    private readonly LeaseFence _fence;
    private readonly ClusterBlocks _blocks;
    private readonly ClusterFabric _fabric;
    private readonly ClusterEndpoints _endpoints;
    private readonly ClusterReclaimer _reclaimer;
    private readonly ClusterNetworks _networks;
    private readonly NetworkIds _vnis;

    private ClusterMember(ClusterOptions options, EtcdClient client, Action<string> log)
    {
        Options = options;
        _client = client;
        _log = log;
        _record = new NodeRecord(options.Node, options.UnderlayAddress.ToString(), Guid.NewGuid().ToString("N"));
        _fence = new LeaseFence(options.BlockReclaimAfter);
        _blocks = new ClusterBlocks(client, options.Node, _fence);
        _fabric = new ClusterFabric(client, ClusterKeys.Endpoints, log);
        _vnis = new NetworkIds(client);
        _endpoints = new ClusterEndpoints(client, options, () => Interlocked.Read(ref _lease), _vnis, _blocks.Holds, log) { Changed = _fabric.Wake };
        _reclaimer = new ClusterReclaimer(client, options, _blocks, log);
        _networks = new ClusterNetworks(client, options.Node, _vnis);
    }

    public ClusterOptions Options { get; }

    /// <summary>The address blocks this node hands out from (the engine's <c>AddressBlocks</c>).</summary>
    public IAddressBlocks Blocks => _blocks;

    /// <summary>
    /// Registers this node and starts keeping its lease. A live node of the same name (another daemon, or this one's
    /// previous run whose lease has not expired yet) is waited out for one lease period, then refused.
    /// </summary>
    /// <param name="log">Told about lost and regained registrations (the daemon logs them).</param>
    public static ClusterMember Join(ClusterOptions options, Action<string> log)
    {
        var member = new ClusterMember(options, Etcd.Connect(options), log);
        try
        {
            member.RegisterWaiting().GetAwaiter().GetResult();
            member._keeper = Task.Run(member.KeepAsync);
            member._confirmer = Task.Run(member.ConfirmAsync);
            return member;
        }
        catch
        {
            member._client.Dispose();
            throw;
        }
    }

    /// <summary>Where the engine reports this node's VMs (the engine's <c>Endpoints</c>).</summary>
    public IVmEndpoints Endpoints => _endpoints;

    /// <summary>Where this node's network changes go (the engine's <c>NetworkDefinitions</c>).</summary>
    public INetworkDefinitions Networks => _networks;

    /// <summary>
    /// Starts publishing this node's VMs (<paramref name="local"/>, read at start and after every failure or new lease)
    /// and following the cluster's endpoints into the data path (<paramref name="converge"/>, given the endpoints and
    /// the VNI of a network's segment, claimed when not known yet); disposing the result stops both and waits for them
    /// (before the engine they call goes).
    /// </summary>
    public IDisposable Start(Func<IReadOnlyList<VmRecord>> local, Action<IReadOnlyList<ClusterEndpoint>, Func<string, int, int>> converge)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var publishing = Task.Run(() => _endpoints.RunAsync(local, stop.Token));
        var reclaiming = Task.Run(() => _reclaimer.RunAsync(stop.Token));
        var following = Task.Run(() => _fabric.RunAsync(async () =>
        {
            var range = await Etcd.Call("reading the endpoints", deadline => _client.GetAsync(
                new RangeRequest { Key = ByteString.CopyFromUtf8(ClusterKeys.Endpoints), RangeEnd = ClusterKeys.RangeEnd(ClusterKeys.Endpoints) }, deadline: deadline)).ConfigureAwait(false);
            try
            {
                converge([.. range.Kvs.Select(kv => ClusterEndpoint.TryRead(kv.Key, kv.Value)).OfType<ClusterEndpoint>()], (network, segment) => _vnis.Claim(network, segment));
            }
            catch (Exception error)
            {
                // Whatever failed, the loop must go on: the next change or tick converges again from scratch.
                _log($"converging the cluster's data path failed ({(error as FirelineException)?.Code ?? error.GetType().Name}): {error.Message}; retrying at the next change");
            }
        }, stop.Token));
        return new Running(stop, [publishing, following, reclaiming]);
    }

    /// <summary>
    /// Starts following the cluster's network definitions into this node's networks (<paramref name="follow"/>, which
    /// returns the problems it met): at once, at every change, after every reconnection of the watch and every 5 s.
    /// A problem is logged when it is new, not at every tick it persists. Disposing the result stops and waits.
    /// </summary>
    public IDisposable FollowNetworks(Func<NetworkDefinitions, IReadOnlyList<string>> follow)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var fabric = new ClusterFabric(_client, ClusterKeys.Networks, _log);
        IReadOnlySet<string> told = new HashSet<string>();
        var following = Task.Run(() => fabric.RunAsync(async () =>
        {
            var definitions = await _networks.ReadAsync().ConfigureAwait(false);
            IReadOnlyList<string> problems;
            try
            {
                problems = follow(definitions);
            }
            catch (Exception error)
            {
                // Whatever failed, the loop must go on: the next change or tick follows again from scratch.
                problems = [$"following the cluster's networks failed ({(error as FirelineException)?.Code ?? error.GetType().Name}): {error.Message}"];
            }

            foreach (var problem in problems.Where(p => !told.Contains(p)))
            {
                _log(problem);
            }

            told = problems.ToHashSet(StringComparer.Ordinal);
        }, stop.Token));
        return new Running(stop, [following]);
    }

    private sealed class Running(CancellationTokenSource stop, Task[] loops) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            Task.WaitAll(loops);
            stop.Dispose();
        }
    }

    /// <summary>The cluster's nodes as etcd has them now.</summary>
    public ClusterStatus Status() => ClusterDirectory.ReadAsync(_client, Options).GetAwaiter().GetResult();

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _keeper.GetAwaiter().GetResult();
            _confirmer.GetAwaiter().GetResult();
            Etcd.Call("leaving", deadline => _client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = Interlocked.Read(ref _lease) }, deadline: deadline))
                .GetAwaiter().GetResult();
        }
        catch (FirelineException)
        {
            // etcd is unreachable: the lease expires by itself within its TTL.
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task RegisterWaiting()
    {
        var deadline = DateTime.UtcNow + Options.LeaseTtl + TimeSpan.FromSeconds(1);
        while (true)
        {
            var holder = await TryRegister().ConfigureAwait(false);
            if (holder is null)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw ClusterErrors.NodeNameInUse(Options.Node, holder.UnderlayAddress);
            }

            await Task.Delay(RetryDelay).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One transaction: if no liveness key of this name exists (create_revision 0) or it is this run's own, write the
    /// record and the liveness key under a new lease; otherwise read the holder. Returns null on success, the holder
    /// when another live node has the name.
    /// </summary>
    private async Task<NodeRecord?> TryRegister()
    {
        var sent = Environment.TickCount64;
        var grant = await Etcd.Call("granting a lease",
            deadline => _client.LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)Options.LeaseTtl.TotalSeconds }, deadline: deadline)).ConfigureAwait(false);
        var json = ByteString.CopyFrom(_record.ToJson());
        var liveness = ClusterKeys.Liveness(Options.Node);
        var free = new TxnRequest();
        free.Compare.Add(new Compare { Key = liveness, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        free.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = ClusterKeys.Node(Options.Node), Value = json } });
        free.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = liveness, Value = json, Lease = grant.ID } });
        free.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = liveness } });
        var answer = await Etcd.Call("registering the node", deadline => _client.TransactionAsync(free, deadline: deadline)).ConfigureAwait(false);
        if (answer.Succeeded)
        {
            Interlocked.Exchange(ref _lease, grant.ID);
            _fence.Confirm(sent);
            _blocks.Forget(); // while it had no lease, its blocks may have been reclaimed: each is asked again
            _endpoints.LeaseChanged(); // the keys under the old lease are gone (or go with it)
            return null;
        }

        await Etcd.Call("returning an unused lease", deadline => _client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = grant.ID }, deadline: deadline)).ConfigureAwait(false);
        var holder = answer.Responses[0].ResponseRange.Kvs.Select(kv => NodeRecord.FromJson(kv.Value.Span)).FirstOrDefault();
        return holder?.Instance == _record.Instance ? null : holder ?? _record with { Instance = "" };
    }

    /// <summary>
    /// Keeps the lease alive until Dispose. The library's keep-alive returns when the lease has expired and throws when
    /// the stream breaks; either way this loop registers again (a new lease if the old one is gone) and carries on.
    /// </summary>
    private async Task KeepAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _client.LeaseKeepAlive(Interlocked.Read(ref _lease), _stop.Token).ConfigureAwait(false);
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                _log($"the lease of node '{Options.Node}' expired; registering again");
                await RegisterAgain().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (!_stop.IsCancellationRequested)
            {
                // The library surfaces stream failures as RpcException, IOException or its own types: all mean "try again".
                _log($"keeping the lease of node '{Options.Node}' alive failed ({error.GetType().Name}: {error.Message}); reconnecting");
                await Pause().ConfigureAwait(false);
                await RegisterAgain().ConfigureAwait(false);
            }
        }
    }

    /// <summary>After a broken stream: keeps the old lease when it still lives, else registers under a new one.</summary>
    private async Task RegisterAgain()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var ttl = await Etcd.Call("checking the lease",
                    deadline => _client.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = Interlocked.Read(ref _lease) }, deadline: deadline)).ConfigureAwait(false);
                if (ttl.TTL > 0 || await TryRegister().ConfigureAwait(false) is null)
                {
                    _log($"node '{Options.Node}' is registered");
                    return;
                }
            }
            catch (FirelineException error)
            {
                _log(error.Message);
            }

            await Pause().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Confirms the lease every second until Dispose, so the <see cref="LeaseFence"/> knows how fresh it is (the
    /// library's keep-alive does not say when it was last answered). A failure is the keeper's to report.
    /// </summary>
    private async Task ConfirmAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var sent = Environment.TickCount64;
            try
            {
                var ttl = await Etcd.Call("confirming the lease",
                    deadline => _client.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = Interlocked.Read(ref _lease) }, deadline: deadline)).ConfigureAwait(false);
                if (ttl.TTL > 0)
                {
                    _fence.Confirm(sent);
                }
            }
            catch (FirelineException)
            {
                // etcd unreachable: the fence ages, and the keeper logs and reconnects
            }

            try
            {
                await Task.Delay(ConfirmInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task Pause()
    {
        try
        {
            await Task.Delay(RetryDelay, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping: the loops check the token next
        }
    }
}
