using System.Text.Json.Serialization;

namespace Fireline.Policy;

/// <summary>The transport a port forward carries: <c>tcp</c> or <c>udp</c> at the edges (CLI, API, state file).</summary>
[JsonConverter(typeof(ForwardProtocolJson))]
public enum ForwardProtocol
{
    [JsonStringEnumMemberName("tcp")]
    Tcp,

    [JsonStringEnumMemberName("udp")]
    Udp,
}

/// <summary>
/// Exactly <c>"tcp"</c> or <c>"udp"</c> in JSON: no numbers, not even as text (the stock converter reads <c>"010"</c> as
/// value 10, a protocol that does not exist).
/// </summary>
public sealed class ForwardProtocolJson() : JsonStringEnumConverter<ForwardProtocol>(namingPolicy: null, allowIntegerValues: false);
