using System.Text.Json.Serialization;

namespace Fireline.State;

/// <summary>Source-generated JSON for the parts of state stored as documents (AOT-safe, no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true,
    Converters = [typeof(StoredBucketConverter)])]
[JsonSerializable(typeof(NetworkSpec))]
[JsonSerializable(typeof(VmOptions))]
[JsonSerializable(typeof(HostState))]
internal sealed partial class StateJson : JsonSerializerContext;
