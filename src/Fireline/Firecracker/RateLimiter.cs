using System.Text.Json.Serialization;

namespace Fireline.Firecracker;

/// <summary>Firecracker's rate limiter: a bandwidth bucket (bytes) and an ops bucket (packets), each optional.</summary>
public sealed record RateLimiter
{
    [JsonPropertyName("bandwidth")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TokenBucket? Bandwidth { get; init; }

    [JsonPropertyName("ops")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TokenBucket? Ops { get; init; }
}
