using System.Text.Json;
using System.Text.Json.Serialization;
using Fireline.Vms;

namespace Fireline.State;

/// <summary>
/// A rate limit's bucket as the state file has always kept it, in Firecracker's names (<c>size</c>,
/// <c>one_time_burst</c>, <c>refill_time</c>): rows written by any version read back, and a row written now reads in
/// an older one. The domain's <see cref="Bucket"/> knows nothing of these names.
/// </summary>
internal sealed class StoredBucketConverter : JsonConverter<Bucket>
{
    private const string Size = "size";
    private const string OneTimeBurst = "one_time_burst";
    private const string RefillTime = "refill_time";

    public override Bucket Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var bucket = document.RootElement;
        return new Bucket
        {
            Size = bucket.GetProperty(Size).GetInt64(),
            RefillTimeMs = bucket.GetProperty(RefillTime).GetInt64(),
            OneTimeBurst = bucket.TryGetProperty(OneTimeBurst, out var burst) && burst.ValueKind != JsonValueKind.Null ? burst.GetInt64() : null,
        };
    }

    public override void Write(Utf8JsonWriter writer, Bucket value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Size, value.Size);
        if (value.OneTimeBurst is { } burst)
        {
            writer.WriteNumber(OneTimeBurst, burst);
        }

        writer.WriteNumber(RefillTime, value.RefillTimeMs);
        writer.WriteEndObject();
    }
}
