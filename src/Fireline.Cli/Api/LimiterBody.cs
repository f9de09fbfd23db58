using Fireline.Firecracker;

namespace Fireline.Cli.Api;

/// <summary>One direction's limits: <c>{bandwidth?, ops?}</c>, each a token bucket.</summary>
internal sealed class LimiterBody : StrictBody
{
    public BucketBody? Bandwidth { get; init; }

    public BucketBody? Ops { get; init; }

    public override void Validate(string path)
    {
        RefuseUnknown(path, "bandwidth", "ops");
        Bandwidth?.Validate(Join(path, "bandwidth"));
        Ops?.Validate(Join(path, "ops"));
    }

    /// <summary>The limiter; null when it has no bucket, as the CLI's flags never make one.</summary>
    public RateLimiter? ToLimiter()
        => Bandwidth is null && Ops is null ? null : new RateLimiter { Bandwidth = Bandwidth?.ToBucket(), Ops = Ops?.ToBucket() };

    public static LimiterBody? From(RateLimiter? limiter)
        => limiter is null ? null : new LimiterBody { Bandwidth = BucketBody.From(limiter.Bandwidth), Ops = BucketBody.From(limiter.Ops) };
}
