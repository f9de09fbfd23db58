namespace Fireline.Cluster;

/// <summary>
/// How long this node may go on handing out addresses from its blocks without hearing from etcd. Other nodes reclaim
/// a node's blocks once they have seen it not alive for <see cref="ClusterOptions.BlockReclaimAfter"/>, and its lease
/// cannot have expired before the moment a request that found it alive was sent; so a node that stops handing out
/// once that moment is <see cref="ClusterOptions.BlockReclaimAfter"/> old never hands out an address of a block
/// another node may hold by then (a partitioned node stops before the others take its blocks).
/// </summary>
internal sealed class LeaseFence(TimeSpan window)
{
    private long _confirmed = Environment.TickCount64;

    /// <summary>A request sent at <paramref name="sentAt"/> (<see cref="Environment.TickCount64"/>) found the lease alive.</summary>
    public void Confirm(long sentAt)
    {
        var seen = Interlocked.Read(ref _confirmed);
        while (sentAt > seen && Interlocked.CompareExchange(ref _confirmed, sentAt, seen) is var was && was != seen)
        {
            seen = was;
        }
    }

    /// <summary>Throws <c>cluster-unavailable</c> when the lease was last confirmed a whole window ago.</summary>
    public void Check()
    {
        var age = TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _confirmed));
        if (age >= window)
        {
            throw ClusterErrors.LeaseUnconfirmed(age);
        }
    }
}
