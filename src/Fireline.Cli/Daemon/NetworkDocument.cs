using System.Text.Json;
using System.Text.RegularExpressions;
using Fireline.Cli.Api;
using Fireline.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fireline.Cli.Daemon;

/// <summary>
/// <c>PUT /v1/networks/{name}</c> takes one network as JSON with the field names of <c>network-config.yaml</c>.
/// It is turned into a one-network networks file and goes through the same parser and apply as the file, so the
/// two can never disagree on what a network may say; the parser's answers are then told in the body's terms.
/// </summary>
internal static partial class NetworkDocument
{
    private const string OnlyNetwork = "networks[0].";

    /// <summary>A networks file holding the body's network, named <paramref name="name"/>.</summary>
    public static string FromJson(JsonElement body, string name)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ApiErrors.InvalidBody("body", "a network is a JSON object (subnet, policies, ...)");
        }

        if (body.TryGetProperty("name", out var named) && !(named.ValueKind == JsonValueKind.String && named.GetString() == name))
        {
            throw ApiErrors.InvalidBody("name", $"name {named.GetRawText()} differs from the path's '{name}' (leave it out, or repeat the path's)");
        }

        var network = new YamlMappingNode { { "name", Quoted(name) } };
        foreach (var field in body.EnumerateObject().Where(f => f.Name != "name" && f.Value.ValueKind != JsonValueKind.Null))
        {
            network.Add(Quoted(field.Name), ToYaml(field.Value));
        }

        var writer = new StringWriter();
        new YamlStream(new YamlDocument(new YamlMappingNode { { "networks", new YamlSequenceNode(network) } })).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>
    /// The parser's error in the body's terms: field <c>subnet</c> rather than <c>networks[0].subnet</c>, and no
    /// line numbers of a file the caller never wrote.
    /// </summary>
    public static FirelineException Translate(FirelineException error)
    {
        if (error.Kind != ErrorKind.InvalidInput)
        {
            return error;
        }

        var message = LineNumber().Replace(error.Message.Replace(OnlyNetwork, "", StringComparison.Ordinal), "");
        return new FirelineException(error.Kind, error.Code, message, error) { Field = error.Field?.Replace(OnlyNetwork, "", StringComparison.Ordinal) };
    }

    private static YamlNode ToYaml(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new YamlMappingNode(value.EnumerateObject()
            .Where(f => f.Value.ValueKind != JsonValueKind.Null)
            .Select(f => new KeyValuePair<YamlNode, YamlNode>(Quoted(f.Name), ToYaml(f.Value)))),
        JsonValueKind.Array => new YamlSequenceNode(value.EnumerateArray().Select(ToYaml)),
        JsonValueKind.String => Quoted(value.GetString()!),
        // Numbers and booleans keep their JSON text, which the parser reads as it reads them in YAML.
        _ => new YamlScalarNode(value.GetRawText()),
    };

    /// <summary>A string stays a string: quoted, so YAML never reads "yes" or "1e3" as something else.</summary>
    private static YamlScalarNode Quoted(string text) => new(text) { Style = ScalarStyle.DoubleQuoted };

    [GeneratedRegex(@" \(line \d+\)")]
    private static partial Regex LineNumber();
}
