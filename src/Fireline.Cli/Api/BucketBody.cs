using Fireline.Firecracker;

namespace Fireline.Cli.Api;

/// <summary>A token bucket in the API: <c>{size, refillTimeMs, oneTimeBurst?}</c>, Firecracker's bucket in camelCase.</summary>
internal sealed class BucketBody : StrictBody
{
    public long? Size { get; init; }

    public long? RefillTimeMs { get; init; }

    public long? OneTimeBurst { get; init; }

    public override void Validate(string path)
    {
        RefuseUnknown(path, "size", "refillTimeMs", "oneTimeBurst");
        if (Size is null)
        {
            throw ApiErrors.RequiredField(Join(path, "size"));
        }

        if (RefillTimeMs is null)
        {
            throw ApiErrors.RequiredField(Join(path, "refillTimeMs"));
        }
    }

    public TokenBucket ToBucket() => new() { Size = Size!.Value, RefillTime = RefillTimeMs!.Value, OneTimeBurst = OneTimeBurst };

    public static BucketBody? From(TokenBucket? bucket)
        => bucket is null ? null : new BucketBody { Size = bucket.Size, RefillTimeMs = bucket.RefillTime, OneTimeBurst = bucket.OneTimeBurst };
}
