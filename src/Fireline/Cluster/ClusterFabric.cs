using dotnet_etcd;
using Etcdserverpb;
using Fireline.Errors;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// Follows the cluster's endpoints for the data path: a watch on <c>/fireline/endpoints/</c> wakes it, and each time
/// it reads every endpoint (one revision) and hands them to the node's data path to converge on
/// (<see cref="ClusterDatapath"/>). Level-triggered: a missed event, a broken watch or a restart costs nothing but the
/// next read, which the watch's reconnection and a periodic tick (repairs what was changed behind its back) trigger.
/// </summary>
internal sealed class ClusterFabric(EtcdClient client, Action<string> log)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Asks for a converge soon (a local VM came or went, the watch saw a change).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // a converge is due already
        }
    }

    public async Task RunAsync(Action<IReadOnlyList<ClusterEndpoint>> converge, CancellationToken stop)
    {
        var watching = Task.Run(() => WatchAsync(stop), CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var range = await Etcd.Call("reading the endpoints", deadline => client.GetAsync(
                    new RangeRequest { Key = ByteString.CopyFromUtf8(ClusterKeys.Endpoints), RangeEnd = ClusterKeys.RangeEnd(ClusterKeys.Endpoints) }, deadline: deadline)).ConfigureAwait(false);
                converge([.. range.Kvs.Select(kv => ClusterEndpoint.TryRead(kv.Key, kv.Value)).OfType<ClusterEndpoint>()]);
            }
            catch (FirelineException error)
            {
                // etcd unreachable: the kernel keeps what it has, so running VMs keep their traffic.
                log($"the data path keeps its entries until etcd answers again: {error.Message}");
            }

            try
            {
                await _wake.WaitAsync(Tick, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await watching.ConfigureAwait(false);
    }

    private async Task WatchAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var call = client.GetConnection().WatchClient.Watch(cancellationToken: stop);
                await call.RequestStream.WriteAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(ClusterKeys.Endpoints), RangeEnd = ClusterKeys.RangeEnd(ClusterKeys.Endpoints) },
                }, stop).ConfigureAwait(false);
                Wake(); // whatever changed before the watch started
                while (await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
                {
                    if (call.ResponseStream.Current.Events.Count > 0)
                    {
                        Wake();
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (!stop.IsCancellationRequested)
            {
                // RpcException, IOException: the stream broke (a member stopped); watch again, from a fresh read.
                log($"the endpoint watch broke ({error.GetType().Name}: {error.Message}); watching again");
                try
                {
                    await Task.Delay(RetryDelay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
