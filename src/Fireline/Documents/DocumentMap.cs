namespace Fireline.Documents;

/// <summary>A mapping with text keys, each once (the reader refuses a repeated key), in the order written.</summary>
public sealed class DocumentMap(DocumentSpan span, IReadOnlyList<(DocumentText Key, DocumentNode Value)> entries, bool flow) : DocumentNode(span)
{
    private readonly Dictionary<string, DocumentNode> _byKey = entries.ToDictionary(e => e.Key.Value, e => e.Value, StringComparer.Ordinal);

    public IReadOnlyList<(DocumentText Key, DocumentNode Value)> Entries { get; } = entries;

    /// <summary>Written in flow style (<c>{a: 1, b: 2}</c>) rather than one key per line.</summary>
    public bool Flow { get; } = flow;

    /// <summary>The value of a key; null when the key is absent.</summary>
    public DocumentNode? this[string key] => _byKey.GetValueOrDefault(key);
}
