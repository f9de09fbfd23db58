namespace Fireline.Vms;

/// <summary>One direction's limit: a bandwidth bucket (bytes) and an ops bucket (packets), each optional.</summary>
public sealed record RateLimit
{
    public Bucket? Bandwidth { get; init; }

    public Bucket? Ops { get; init; }

    /// <summary>Validates both buckets, naming fields <c>{field}.bandwidth.size</c> and <c>{field}.ops.size</c>.</summary>
    public void Validate(string field)
    {
        Bandwidth?.Validate($"{field}.bandwidth");
        Ops?.Validate($"{field}.ops");
    }
}
