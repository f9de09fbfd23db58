using System.Text.Json.Serialization;
using Fireline.Vms;

namespace Fireline.Firecracker;

/// <summary>
/// Firecracker's token bucket on the wire, with Firecracker's own field names; Fireline's own is <see cref="Bucket"/>,
/// which also decides what is valid.
/// </summary>
public sealed record TokenBucket
{
    public const long MaxRefillTimeMs = Bucket.MaxRefillTimeMs;

    [JsonPropertyName("size")]
    public required long Size { get; init; }

    [JsonPropertyName("one_time_burst")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OneTimeBurst { get; init; }

    [JsonPropertyName("refill_time")]
    public required long RefillTime { get; init; }

    /// <summary>The rate the bucket sustains, in units per second. Not part of Firecracker's object.</summary>
    [JsonIgnore]
    public double PerSecond => ToBucket().PerSecond;

    /// <summary>See <see cref="Bucket.ForBandwidth"/>.</summary>
    public static TokenBucket ForBandwidth(long bytesPerSecond) => From(Bucket.ForBandwidth(bytesPerSecond));

    public static TokenBucket From(Bucket bucket) => new() { Size = bucket.Size, RefillTime = bucket.RefillTimeMs, OneTimeBurst = bucket.OneTimeBurst };

    public Bucket ToBucket() => new() { Size = Size, RefillTimeMs = RefillTime, OneTimeBurst = OneTimeBurst };

    /// <summary>See <see cref="Bucket.Validate"/>: the same rules, in the API's field names.</summary>
    public void Validate(string field) => ToBucket().Validate(field);
}
