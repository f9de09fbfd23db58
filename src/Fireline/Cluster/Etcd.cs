using dotnet_etcd;
using Grpc.Core;

namespace Fireline.Cluster;

/// <summary>
/// The etcd client and the one place its failures become domain errors: every call carries a deadline, so an
/// unreachable etcd is a <c>cluster-unavailable</c> error within seconds, never a hang.
/// </summary>
internal static class Etcd
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    public static EtcdClient Connect(ClusterOptions options)
        => new(string.Join(',', options.Endpoints.Select(e => e.GetLeftPart(UriPartial.Authority))));

    public static DateTime Deadline() => DateTime.UtcNow + CallTimeout;

    /// <summary>Runs one etcd call, turning gRPC failures into <see cref="ClusterErrors.Unavailable"/>.</summary>
    public static async Task<T> Call<T>(string what, Func<DateTime, Task<T>> call)
    {
        try
        {
            return await call(Deadline()).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            throw ClusterErrors.Unavailable(what, error);
        }
        catch (HttpRequestException error)
        {
            throw ClusterErrors.Unavailable(what, error);
        }
    }
}
