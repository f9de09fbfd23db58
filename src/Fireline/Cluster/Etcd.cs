using dotnet_etcd;
using Fireline.Errors;
using Grpc.Core;

namespace Fireline.Cluster;

/// <summary>
/// The etcd client and the one place its failures become domain errors: every call carries a deadline, so an
/// unreachable etcd is a <c>cluster-unavailable</c> error within seconds, never a hang.
/// </summary>
internal static class Etcd
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    public static EtcdClient Connect(ClusterOptions options)
        => new(string.Join(',', options.Endpoints.Select(e => e.GetLeftPart(UriPartial.Authority))));

    public static DateTime Deadline() => DateTime.UtcNow + CallTimeout;

    /// <summary>
    /// Runs one etcd call, turning its failures into <see cref="ClusterErrors.Unavailable"/>: gRPC's, and whatever else
    /// the client throws when a connection stalls and comes back (found by the partition test: a read that threw
    /// something else ended the loop that followed the endpoints, so a healed node never converged again).
    /// </summary>
    public static async Task<T> Call<T>(string what, Func<DateTime, Task<T>> call)
    {
        var deadline = Deadline();
        while (true)
        {
            try
            {
                return await call(deadline).ConfigureAwait(false);
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.Unavailable && DateTime.UtcNow + RetryDelay < deadline)
            {
                // One member down (connection refused): the client's next attempt goes to another. Every call here is
                // safe to repeat: puts and deletes are idempotent, a block claim repeated finds its own key, and should a
                // repeated registration lose its lease, the keeper registers again.
                await Task.Delay(RetryDelay).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not FirelineException)
            {
                throw ClusterErrors.Unavailable(what, error);
            }
        }
    }
}
