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

        if (body.TryGetProperty("name", out var named) && !(named.ValueKind == JsonValueKind.String && Text(named, "name") == name))
        {
            throw ApiErrors.InvalidBody("name", $"name {UserText.Escape(named.GetRawText())} differs from the path's {UserText.Quote(name)} (leave it out, or repeat the path's)");
        }

        var network = new YamlMappingNode { { "name", Quoted(name) } };
        foreach (var (key, value) in Mapping(body, "").Children.Where(f => f.Key is not YamlScalarNode { Value: "name" }))
        {
            network.Add(key, value);
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
        if (error.Field?.StartsWith(OnlyNetwork, StringComparison.Ordinal) != true)
        {
            return error;
        }

        var message = LineNumber().Replace(error.Message.Replace(OnlyNetwork, "", StringComparison.Ordinal), "");
        return new FirelineException(error.Kind, error.Code, message, error) { Field = error.Field?.Replace(OnlyNetwork, "", StringComparison.Ordinal) };
    }

    private static YamlNode ToYaml(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.Object => Mapping(value, path),
        JsonValueKind.Array => new YamlSequenceNode(value.EnumerateArray().Select((item, i) => ToYaml(item, $"{path}[{i}]"))),
        JsonValueKind.String => Quoted(Text(value, path)),
        // Numbers and booleans keep their JSON text, which the parser reads as it reads them in YAML.
        _ => new YamlScalarNode(value.GetRawText()),
    };

    /// <summary>An object's fields as a mapping; a null field is left out, as if it were absent.</summary>
    private static YamlMappingNode Mapping(JsonElement value, string path)
    {
        var mapping = new YamlMappingNode();
        foreach (var field in value.EnumerateObject().Where(f => f.Value.ValueKind != JsonValueKind.Null))
        {
            var key = Text(field, path.Length == 0 ? "body" : path);
            mapping.Add(Quoted(key), ToYaml(field.Value, path.Length == 0 ? key : $"{path}.{key}"));
        }

        return mapping;
    }

    /// <summary>
    /// A JSON string as text. JSON's escapes can spell half of a UTF-16 surrogate pair (<c>"\ud800"</c>), which is
    /// no text at all: refused, naming the field.
    /// </summary>
    private static string Text(JsonElement value, string path)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw ApiErrors.InvalidBody(path, $"{UserText.Escape(path)}: not valid Unicode text (a lone UTF-16 surrogate)");
        }
    }

    private static string Text(JsonProperty field, string path)
    {
        try
        {
            return field.Name;
        }
        catch (InvalidOperationException)
        {
            throw ApiErrors.InvalidBody(path, $"{UserText.Escape(path)}: a field name that is not valid Unicode text (a lone UTF-16 surrogate)");
        }
    }

    /// <summary>A string stays a string: quoted, so YAML never reads "yes" or "1e3" as something else.</summary>
    private static YamlScalarNode Quoted(string text) => new(text) { Style = ScalarStyle.DoubleQuoted };

    [GeneratedRegex(@" \(line \d+\)")]
    private static partial Regex LineNumber();
}
