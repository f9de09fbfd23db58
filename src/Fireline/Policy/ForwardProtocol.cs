using System.Text.Json.Serialization;

namespace Fireline.Policy;

/// <summary>The transport a port forward carries: <c>tcp</c> or <c>udp</c> at the edges (CLI, API, state file).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ForwardProtocol>))]
public enum ForwardProtocol
{
    [JsonStringEnumMemberName("tcp")]
    Tcp,

    [JsonStringEnumMemberName("udp")]
    Udp,
}
