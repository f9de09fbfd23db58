using System.Globalization;
using Fireline.Errors;
using Fireline.Documents;

namespace Fireline.Networks;

/// <summary>
/// Reads a document's fields into values of their type (text, whole number, true/false, one of a list of names)
/// and remembers the line each field was read from, so a value refused later still names its line. What is not
/// of its field's type, and keys a mapping does not know, are problems here; whether a value is acceptable is
/// <see cref="NetworkValidator"/>'s to say.
/// </summary>
internal sealed class YamlFields
{
    private readonly Dictionary<string, long> _lines = new(StringComparer.Ordinal);

    public YamlFields() => Problems = new Problems(field => _lines.TryGetValue(field, out var line) ? line : null);

    public Problems Problems { get; }

    /// <summary>Remembers where a field was read (when it was read from text).</summary>
    public void Mark(string field, DocumentNode node)
    {
        if (node.Line > 0)
        {
            _lines[field] = node.Line;
        }
    }

    /// <summary>A field's path inside <paramref name="path"/> starts with it and a dot, unless the path is the document itself (a lone network).</summary>
    public static string Under(string path) => path.Length == 0 ? "" : path + ".";

    public void CheckKeys(DocumentMap node, string[] allowed, string path, string? label = null)
    {
        foreach (var (key, _) in node.Entries)
        {
            var text = key.Value;
            if (!allowed.Contains(text, StringComparer.Ordinal))
            {
                var shown = UserText.Escape(text);
                Problems.Add($"{Under(path)}{shown}", key,
                    $"{Prefix(label)}unknown key '{shown}' (known: {string.Join(", ", allowed)})");
            }
        }
    }

    /// <summary>A key's value as text; null when absent (a problem if <paramref name="required"/>) or not a single value.</summary>
    public string? Scalar(DocumentMap node, string key, string path, bool required, string? label = null)
    {
        if (node[key] is not { } value)
        {
            if (required)
            {
                Problems.Add($"{Under(path)}{key}", node, $"{Prefix(label)}'{key}' is required");
            }

            return null;
        }

        Mark($"{Under(path)}{key}", value);
        if (value is not DocumentText { Value: { Length: > 0 } text })
        {
            Problems.Add($"{Under(path)}{key}", value, $"{Prefix(label)}'{key}' must be a single value");
            return null;
        }

        return text;
    }

    public int? Integer(DocumentMap node, string key, string path, string label)
    {
        var text = Scalar(node, key, path, required: false, label);
        if (text is null)
        {
            return null;
        }

        if (!TryParseWholeNumber(text, out var value))
        {
            Problems.Add($"{Under(path)}{key}", $"{label}: {key} {UserText.Quote(text)} is not a whole number (decimal digits, no leading zeros)");
            return null;
        }

        return value;
    }

    /// <summary>
    /// Decimal digits without sign or leading zeros: <c>010</c> is 10 here but 8 to a YAML 1.1 reader, so it is
    /// refused rather than read one way.
    /// </summary>
    public static bool TryParseWholeNumber(string text, out int value)
    {
        value = 0;
        return !(text.Length > 1 && text[0] == '0') && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public bool? Boolean(DocumentMap node, string key, string path, string label)
    {
        switch (Scalar(node, key, path, required: false, label))
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            case var text:
                Problems.Add($"{Under(path)}{key}", $"{label}: {key} must be true or false, not {UserText.Quote(text)}");
                return null;
        }
    }

    public T? Enum<T>(DocumentMap node, string key, string path, string label, (string Name, T Value)[] names)
        where T : struct
    {
        var text = Scalar(node, key, path, required: false, label);
        if (text is null)
        {
            return null;
        }

        foreach (var (name, value) in names)
        {
            if (name == text)
            {
                return value;
            }
        }

        Problems.Add($"{Under(path)}{key}", $"{label}: {key} {UserText.Quote(text)} is not one of {string.Join(", ", names.Select(n => n.Name))}");
        return null;
    }

    /// <summary>A list of single values.</summary>
    public List<string> Strings(DocumentMap node, string key, string path, string label)
    {
        if (node[key] is not { } value)
        {
            return [];
        }

        Mark($"{Under(path)}{key}", value);
        if (value is not DocumentList items)
        {
            Problems.Add($"{Under(path)}{key}", value, $"{label}: {key} is a list of values");
            return [];
        }

        var strings = new List<string>(items.Items.Count);
        for (var i = 0; i < items.Items.Count; i++)
        {
            Mark($"{Under(path)}{key}[{i}]", items.Items[i]);
            if (items.Items[i] is DocumentText text)
            {
                strings.Add(text.Value);
            }
            else
            {
                Problems.Add($"{Under(path)}{key}[{i}]", items.Items[i], $"{label}: each of {key} is a single value");
            }
        }

        return strings;
    }

    private static string Prefix(string? label) => label is null ? "" : label + ": ";
}
