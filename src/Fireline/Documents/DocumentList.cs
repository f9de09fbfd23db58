namespace Fireline.Documents;

/// <summary>A list (a YAML sequence).</summary>
public sealed class DocumentList(DocumentSpan span, IReadOnlyList<DocumentNode> items) : DocumentNode(span)
{
    public IReadOnlyList<DocumentNode> Items { get; } = items;
}
