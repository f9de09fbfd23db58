using System.Text.Json.Serialization;

namespace Fireline.Cli.Api;

/// <summary>
/// The daemon API's own documents: request bodies that are the API's alone and problem details (the domain's
/// requests are <see cref="ApiRequestJson"/>'s). Responses are the domain's records in
/// <see cref="Output.CliJson"/>, the same bytes the CLI prints. Duplicate keys are refused: a body that says
/// two things about one field is ambiguous.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ForwardBody))]
[JsonSerializable(typeof(HostInitBody))]
[JsonSerializable(typeof(TuneBody))]
[JsonSerializable(typeof(NetworkApplyBody))]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(HealthDocument))]
internal sealed partial class ApiJson : JsonSerializerContext;
