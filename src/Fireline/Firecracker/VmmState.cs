using System.Text.Json.Serialization;

namespace Fireline.Firecracker;

/// <summary>
/// A Firecracker instance's state, as <c>GET /</c> reports it. Devices are configured (PUT) before the start; after
/// it, paused or not, only their rate limiters change (PATCH).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<VmmState>))]
public enum VmmState
{
    [JsonStringEnumMemberName("Not started")]
    NotStarted,

    Running,

    Paused,
}
