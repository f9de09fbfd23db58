using System.Text.Json.Serialization;
using Fireline.Errors;

namespace Fireline.Vms;

/// <summary>
/// A token bucket: <see cref="Size"/> tokens (bytes or packets) refilled every <see cref="RefillTimeMs"/> milliseconds,
/// plus an optional one-time burst. The API's fields (<c>size</c>, <c>refillTimeMs</c>, <c>oneTimeBurst</c>);
/// Firecracker's wire names exist only in its client (<see cref="Firecracker.TokenBucket"/>).
/// </summary>
/// <remarks>
/// Firecracker reads a size of 0 or a refill time of 0 as "this bucket does not limit" (the bucket is dropped, or
/// removed by a PATCH). <see cref="Validate"/> keeps the first as the way to say "no limit" and refuses the second:
/// a non-zero size with a zero refill time looks like a limit but is none.
/// </remarks>
public sealed record Bucket
{
    /// <summary>
    /// Firecracker multiplies the refill time by 1,000,000 (to nanoseconds) in an unsigned 64-bit number and drops
    /// the bucket when that overflows: a longer refill time would silently turn the limit off.
    /// </summary>
    public const long MaxRefillTimeMs = (long)(ulong.MaxValue / 1_000_000);

    public required long Size { get; init; }

    public required long RefillTimeMs { get; init; }

    public long? OneTimeBurst { get; init; }

    /// <summary>
    /// A bucket that lets <paramref name="perSecond"/> units through, refilled every 100 ms: a tenth of a second of
    /// traffic may burst, which shapes far more smoothly than a one-second bucket.
    /// </summary>
    public static Bucket ForBandwidth(long perSecond) => new() { Size = Math.Max(1, (perSecond + 9) / 10), RefillTimeMs = 100 };

    /// <summary>The rate the bucket sustains, in units per second.</summary>
    [JsonIgnore]
    public double PerSecond => Size * 1000.0 / RefillTimeMs;

    /// <summary>
    /// Throws <see cref="DomainErrors.InvalidInput"/> naming the offending field under <paramref name="field"/>
    /// (<c>rx.bandwidth</c> gives <c>rx.bandwidth.refillTimeMs</c>) when Firecracker would refuse the bucket or
    /// would not limit as the numbers suggest.
    /// </summary>
    public void Validate(string field)
    {
        if (Size < 0)
        {
            throw DomainErrors.InvalidInput($"{field}.size", $"{field}.size is {Size}: it must be 0 or more (0 means no limit)");
        }

        if (OneTimeBurst < 0)
        {
            throw DomainErrors.InvalidInput($"{field}.oneTimeBurst", $"{field}.oneTimeBurst is {OneTimeBurst}: it must be 0 or more");
        }

        if (RefillTimeMs < 0 || (RefillTimeMs == 0 && Size > 0))
        {
            throw DomainErrors.InvalidInput($"{field}.refillTimeMs",
                $"{field}.refillTimeMs is {RefillTimeMs}: it must be more than 0 ms (Firecracker takes a refill time of 0 as no limit at all; a size of 0 says that)");
        }

        if (RefillTimeMs > MaxRefillTimeMs)
        {
            throw DomainErrors.InvalidInput($"{field}.refillTimeMs",
                $"{field}.refillTimeMs is {RefillTimeMs}: at most {MaxRefillTimeMs} ms, beyond which Firecracker's nanosecond count overflows and drops the limit");
        }
    }
}
