using System.Text.Json.Serialization;

namespace Fireline.Firecracker;

/// <summary>The microVM metadata service's protocol: V1 answers plain GETs, V2 wants a session token first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MmdsVersion>))]
public enum MmdsVersion
{
    V1,
    V2,
}
