using System.Text.Json.Serialization;

namespace Fireline.Firecracker;

/// <summary>
/// Source-generated JSON for Firecracker's API (AOT-safe, no reflection). Field names are Firecracker's, set on
/// each property; absent optional fields are left out rather than sent as null, as Firecracker's examples do.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NetworkInterface))]
[JsonSerializable(typeof(PartialNetworkInterface))]
[JsonSerializable(typeof(MmdsConfig))]
[JsonSerializable(typeof(BootSource))]
[JsonSerializable(typeof(InstanceInfo))]
[JsonSerializable(typeof(VmConfigView))]
[JsonSerializable(typeof(FirecrackerFault))]
internal sealed partial class FirecrackerJson : JsonSerializerContext;

/// <summary>Firecracker's error body: <c>{"fault_message": "..."}</c>.</summary>
internal sealed record FirecrackerFault([property: JsonPropertyName("fault_message")] string? FaultMessage);
