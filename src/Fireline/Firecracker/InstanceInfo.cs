using System.Text.Json.Serialization;

namespace Fireline.Firecracker;

/// <summary>Firecracker's answer to <c>GET /</c>.</summary>
public sealed record InstanceInfo
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("state")]
    public required VmmState State { get; init; }

    [JsonPropertyName("vmm_version")]
    public required string VmmVersion { get; init; }

    [JsonPropertyName("app_name")]
    public required string AppName { get; init; }
}
