using System.Text.Json.Serialization;
using Fireline.Attachments;
using Fireline.Vms;

namespace Fireline.Cli.Api;

/// <summary>
/// Request bodies that deserialize straight into the domain's requests, under the API's field names. An unknown
/// member is refused, as Firecracker's <c>deny_unknown_fields</c> does (<see cref="KnownFields"/> names it first, in
/// Fireline's words); a context of its own, since problems and other answers must still read with fields a proxy
/// added. Duplicate keys are refused: a body that says two things about one field is ambiguous.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(VmCreateRequest))]
[JsonSerializable(typeof(RateLimits))]
[JsonSerializable(typeof(AttachRequest))]
[JsonSerializable(typeof(AttachmentGcRequest))]
internal sealed partial class ApiRequestJson : JsonSerializerContext;
