using System.Text.Json.Serialization;
using Fireline.Attachments;
using Fireline.Vms;

namespace Fireline.Cni;

/// <summary>The daemon's attachment API as the plugin speaks it: the domain's wire types, in the API's names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AttachRequest))]
[JsonSerializable(typeof(AttachmentRecord))]
[JsonSerializable(typeof(AttachmentCheck))]
[JsonSerializable(typeof(AttachmentDeleteResult))]
[JsonSerializable(typeof(AttachmentGcRequest))]
[JsonSerializable(typeof(AttachmentGcResult))]
[JsonSerializable(typeof(RateLimits))]
[JsonSerializable(typeof(NetworkUse))]
[JsonSerializable(typeof(DaemonProblem))]
internal sealed partial class CniJson : JsonSerializerContext;

/// <summary>What STATUS reads of <c>GET /v1/networks/{name}</c>: leases taken and addresses in all.</summary>
internal sealed record NetworkUse(int Vms, long Capacity);

/// <summary>What the plugin reads of the daemon's problem JSON: the stable code, kind, field and message.</summary>
internal sealed record DaemonProblem(string? Code, string? Kind, string? Field, string? Detail);
