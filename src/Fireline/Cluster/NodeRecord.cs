using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fireline.Cluster;

/// <summary>
/// What a node stores about itself in etcd, under its record key and (with the daemon run's id) under its liveness
/// key: the id tells a daemon's own registration from another daemon's that claims the same name.
/// </summary>
internal sealed record NodeRecord(string Name, string UnderlayAddress, string Instance)
{
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ClusterJson.Default.NodeRecord);

    public static NodeRecord? FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ClusterJson.Default.NodeRecord);
        }
        catch (JsonException)
        {
            return null; // not ours to interpret (written by something else): the node is listed without it
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NodeRecord))]
internal sealed partial class ClusterJson : JsonSerializerContext;
