using Fireline.Firecracker;

namespace Fireline.Vms;

/// <summary>
/// A VM's rate limits: Firecracker's limiter (bandwidth and ops token buckets, with one-time burst) for what
/// the guest receives (rx) and sends (tx). Enforced by the VMM on attach, or by tc on networks that say so.
/// </summary>
public sealed record RateLimits
{
    public RateLimiter? Rx { get; init; }

    public RateLimiter? Tx { get; init; }

    public bool IsEmpty => Rx is null && Tx is null;

    /// <summary>Checks every bucket, naming the field of the first problem (<c>rx.bandwidth.refillTimeMs</c>).</summary>
    public void Validate()
    {
        Rx?.Validate("rx");
        Tx?.Validate("tx");
    }
}
