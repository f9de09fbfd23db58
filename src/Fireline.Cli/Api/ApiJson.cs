using System.Text.Json.Serialization;

namespace Fireline.Cli.Api;

/// <summary>
/// The daemon API's own answers: problem details and health (request bodies are <see cref="ApiRequestJson"/>'s).
/// Other responses are the domain's records in <see cref="Output.CliJson"/>, the same bytes the CLI prints.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(HealthDocument))]
internal sealed partial class ApiJson : JsonSerializerContext;
