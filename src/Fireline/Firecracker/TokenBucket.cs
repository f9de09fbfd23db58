using System.Text.Json.Serialization;

namespace Fireline.Firecracker;

/// <summary>
/// Firecracker's token bucket: <see cref="Size"/> tokens (bytes or operations) refilled every
/// <see cref="RefillTime"/> milliseconds, plus an optional one-time burst. Firecracker's own field names.
/// </summary>
public sealed record TokenBucket
{
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

    /// <summary>The rate the bucket sustains, in units per second.</summary>
    public double PerSecond => Size * 1000.0 / RefillTime;
}
