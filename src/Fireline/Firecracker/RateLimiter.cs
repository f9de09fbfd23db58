using System.Text.Json.Serialization;

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

    /// <summary>Validates both buckets, naming fields <c>{field}.bandwidth.size</c> and <c>{field}.ops.size</c>.</summary>
    public void Validate(string field)
    {
        Bandwidth?.Validate($"{field}.bandwidth");
        Ops?.Validate($"{field}.ops");
    }
}
