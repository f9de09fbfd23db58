using System.Text.Json.Serialization;
using Fireline.Attachments;
using Fireline.Host;
using Fireline.Policy;
using Fireline.Vms;

namespace Fireline.Cli.Api;

/// <summary>
/// Every request body: the domain's requests under the API's field names, and the bodies that are the API's
/// alone (a networks file's text, tune's switch, a VM's rules). An unknown member is refused, as Firecracker's
/// <c>deny_unknown_fields</c> does (<see cref="KnownFields"/> names it first, in Fireline's words); so is null for a
/// field that cannot be null. A context of its own, since problems and other answers must still read with fields a
/// proxy added. Duplicate keys are refused: a body that says two things about one field is ambiguous.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(VmCreateRequest))]
[JsonSerializable(typeof(ForwardRequest))]
[JsonSerializable(typeof(HostInitRequest))]
[JsonSerializable(typeof(RateLimits))]
[JsonSerializable(typeof(TuneBody))]
[JsonSerializable(typeof(NetworkApplyBody))]
[JsonSerializable(typeof(VmPolicyBody))]
[JsonSerializable(typeof(AttachRequest))]
[JsonSerializable(typeof(AttachmentGcRequest))]
internal sealed partial class ApiRequestJson : JsonSerializerContext;
