using System.Text.Json.Serialization;
using Fireline.Vms;

namespace Fireline.Firecracker;

/// <summary>Firecracker's rate limiter: a bandwidth bucket (bytes) and an ops bucket (packets), each optional.</summary>
/// <remarks>
/// In a PATCH an absent bucket leaves the running one as it is, and a bucket of size 0 removes it.
/// </remarks>
public sealed record RateLimiter
{
    [JsonPropertyName("bandwidth")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TokenBucket? Bandwidth { get; init; }

    [JsonPropertyName("ops")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TokenBucket? Ops { get; init; }

    /// <summary>The limiter Firecracker is sent for a direction's limit; null for none.</summary>
    public static RateLimiter? From(RateLimit? limit)
        => limit is null ? null : new RateLimiter { Bandwidth = limit.Bandwidth is { } b ? TokenBucket.From(b) : null, Ops = limit.Ops is { } o ? TokenBucket.From(o) : null };

    /// <summary>Validates both buckets, naming fields <c>{field}.bandwidth.size</c> and <c>{field}.ops.size</c>.</summary>
    public void Validate(string field)
    {
        Bandwidth?.Validate($"{field}.bandwidth");
        Ops?.Validate($"{field}.ops");
    }
}
