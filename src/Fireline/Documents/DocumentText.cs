namespace Fireline.Documents;

/// <summary>A value: text as written, quoted or not (a YAML scalar).</summary>
public sealed class DocumentText(DocumentSpan span, string value, bool plain) : DocumentNode(span)
{
    public string Value { get; } = value;

    /// <summary>Written without quotes (so an empty plain value is YAML's null).</summary>
    public bool Plain { get; } = plain;
}
