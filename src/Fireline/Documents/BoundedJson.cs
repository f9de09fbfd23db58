using System.Globalization;
using System.Text.Json;
using Fireline.Errors;

namespace Fireline.Documents;

/// <summary>
/// Reads a JSON value (an API body) into the same <see cref="DocumentNode"/> tree <see cref="BoundedYaml"/> builds,
/// with its bounds on nodes, depth, items per list and characters per value, so one parser reads a network from
/// either form. A string stays quoted text; a number, true or false is its JSON text, read as YAML reads the same
/// text unquoted; a null field is left out, as if absent. JSON has no lines to name: every node's line is 0.
/// </summary>
public static class BoundedJson
{
    private static readonly DocumentSpan NoSpan = new(0, 0, 0);

    /// <summary>The tree of <paramref name="value"/>; refusals are invalid-argument errors naming the field path (<paramref name="root"/> for the value itself).</summary>
    public static DocumentNode Load(JsonElement value, string root)
    {
        var nodes = 0;
        return Read(value, [], depth: 1);

        DocumentNode Read(JsonElement element, List<string> path, int depth)
        {
            if (++nodes > BoundedYaml.MaxNodes)
            {
                throw Refuse(path, $"the document has more than {BoundedYaml.MaxNodes:N0} values, keys and lists");
            }

            if (element.ValueKind is JsonValueKind.Object or JsonValueKind.Array && depth > BoundedYaml.MaxDepth)
            {
                throw Refuse(path, $"nested deeper than {BoundedYaml.MaxDepth} levels");
            }

            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var entries = new List<(DocumentText Key, DocumentNode Value)>();
                    var keys = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var field in element.EnumerateObject().Where(f => f.Value.ValueKind != JsonValueKind.Null))
                    {
                        var key = Name(field, path);
                        path.Add(path.Count == 0 ? UserText.Escape(key) : "." + UserText.Escape(key));
                        if (!keys.Add(key))
                        {
                            throw Refuse(path, "a key said twice in one mapping");
                        }

                        entries.Add((Text(key, path, plain: false), Read(field.Value, path, depth + 1)));
                        path.RemoveAt(path.Count - 1);
                    }

                    return new DocumentMap(NoSpan, entries, flow: true);
                case JsonValueKind.Array:
                    var items = new List<DocumentNode>();
                    foreach (var item in element.EnumerateArray())
                    {
                        path.Add(string.Create(CultureInfo.InvariantCulture, $"[{items.Count}]"));
                        if (items.Count == BoundedYaml.MaxItems)
                        {
                            throw Refuse(path, $"a list of more than {BoundedYaml.MaxItems:N0} items");
                        }

                        items.Add(Read(item, path, depth + 1));
                        path.RemoveAt(path.Count - 1);
                    }

                    return new DocumentList(NoSpan, items);
                case JsonValueKind.String:
                    return Text(String(element, path), path, plain: false);
                default:
                    return Text(element.GetRawText(), path, plain: true);
            }
        }

        DocumentText Text(string text, List<string> path, bool plain)
            => text.Length <= BoundedYaml.MaxValueLength
                ? new DocumentText(NoSpan, text, plain)
                : throw Refuse(path, $"a value of {text.Length:N0} characters; at most {BoundedYaml.MaxValueLength:N0} are accepted");

        FirelineException Refuse(List<string> path, string what)
        {
            var field = path.Count == 0 ? root : string.Concat(path);
            return DomainErrors.InvalidInput(field, $"{field}: {what}");
        }

        // JSON's escapes can spell half of a UTF-16 surrogate pair ("\ud800"), which is no text at all.
        string String(JsonElement element, List<string> path)
        {
            try
            {
                return element.GetString()!;
            }
            catch (InvalidOperationException)
            {
                throw Refuse(path, "not valid Unicode text (a lone UTF-16 surrogate)");
            }
        }

        string Name(JsonProperty field, List<string> path)
        {
            try
            {
                return field.Name;
            }
            catch (InvalidOperationException)
            {
                throw Refuse(path, "a field name that is not valid Unicode text (a lone UTF-16 surrogate)");
            }
        }
    }
}
