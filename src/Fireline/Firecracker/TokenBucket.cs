using System.Text.Json.Serialization;
using Fireline.Errors;

namespace Fireline.Firecracker;

/// <summary>
/// Firecracker's token bucket: <see cref="Size"/> tokens (bytes or operations) refilled every
/// <see cref="RefillTime"/> milliseconds, plus an optional one-time burst. Firecracker's own field names.
/// </summary>
/// <remarks>
/// Firecracker's schema allows 0 in every field, and its rate limiter reads a size of 0 or a refill time of 0 as
/// "this bucket does not limit" (the bucket is dropped, or removed by a PATCH). <see cref="Validate"/> keeps the
/// first as the way to say "no limit" and refuses the second: a non-zero size with a zero refill time looks like a
/// limit but is none.
/// </remarks>
public sealed record TokenBucket
{
    /// <summary>
    /// Firecracker multiplies the refill time by 1,000,000 (to nanoseconds) in an unsigned 64-bit number and drops
    /// the bucket when that overflows: a longer refill time would silently turn the limit off.
    /// </summary>
    public const long MaxRefillTimeMs = (long)(ulong.MaxValue / 1_000_000);

    [JsonPropertyName("size")]
    public required long Size { get; init; }

    [JsonPropertyName("one_time_burst")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OneTimeBurst { get; init; }

    [JsonPropertyName("refill_time")]
    public required long RefillTime { get; init; }

    /// <summary>
    /// A bucket that lets <paramref name="bytesPerSecond"/> through, refilled every 100 ms: a tenth of a second of
    /// traffic may burst, which shapes far more smoothly than a one-second bucket.
    /// </summary>
    public static TokenBucket ForBandwidth(long bytesPerSecond)
        => new() { Size = Math.Max(1, (bytesPerSecond + 9) / 10), RefillTime = 100 };

    /// <summary>The rate the bucket sustains, in units per second. Not part of Firecracker's object.</summary>
    [JsonIgnore]
    public double PerSecond => Size * 1000.0 / RefillTime;

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

        if (RefillTime < 0 || (RefillTime == 0 && Size > 0))
        {
            throw DomainErrors.InvalidInput($"{field}.refillTimeMs",
                $"{field}.refillTimeMs is {RefillTime}: it must be more than 0 ms (Firecracker takes a refill time of 0 as no limit at all; a size of 0 says that)");
        }

        if (RefillTime > MaxRefillTimeMs)
        {
            throw DomainErrors.InvalidInput($"{field}.refillTimeMs",
                $"{field}.refillTimeMs is {RefillTime}: at most {MaxRefillTimeMs} ms, beyond which Firecracker's nanosecond count overflows and drops the limit");
        }
    }
}
