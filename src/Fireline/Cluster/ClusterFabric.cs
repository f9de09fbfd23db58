using dotnet_etcd;
using Etcdserverpb;
using Fireline.Errors;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// Follows a part of etcd (<paramref name="prefix"/>): the cluster's endpoints for the data path, its network
/// definitions for the node's networks. A watch on the prefix wakes it, and each time <c>converge</c> reads all of it
/// (one revision) and makes the node match (<see cref="ClusterDatapath"/>). Level-triggered: a missed event, a broken
/// watch or a restart costs nothing but the next read, which the watch's reconnection and a periodic tick (repairs
/// what was changed behind its back) trigger.
/// </summary>
internal sealed class ClusterFabric(EtcdClient client, string prefix, Action<string> log)
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

    /// <summary>Runs <paramref name="converge"/> (read, then match) at start, at every change and every tick, until stopped.</summary>
    public async Task RunAsync(Func<Task> converge, CancellationToken stop)
    {
        var watching = Task.Run(() => WatchAsync(stop), CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await converge().ConfigureAwait(false);
            }
            catch (FirelineException error)
            {
                // etcd unreachable: the kernel keeps what it has, so running VMs keep their traffic.
                log($"this node keeps what it has of {prefix} until etcd answers again: {error.Message}");
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
                    CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = ClusterKeys.RangeEnd(prefix) },
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
                log($"the watch of {prefix} broke ({error.GetType().Name}: {error.Message}); watching again");
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
