namespace Fireline.Documents;

/// <summary>
/// A node of a document read by <see cref="BoundedYaml"/> or <see cref="BoundedJson"/>: all a Fireline document may hold is text
/// (<see cref="DocumentText"/>), lists (<see cref="DocumentList"/>) and mappings with text keys
/// (<see cref="DocumentMap"/>), no anchors, aliases or tags; each knows where it is in the text.
/// </summary>
public abstract class DocumentNode(DocumentSpan span)
{
    public DocumentSpan Span { get; } = span;

    /// <summary>The line the node starts on (1-based), for error messages; 0 when it was read from JSON, which names no lines.</summary>
    public long Line => Span.Line;
}
