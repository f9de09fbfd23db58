namespace Fireline.Attachments;

/// <summary>The body of <c>POST /v1/attachments:gc</c>: the CNI network and the attachments still valid on it.</summary>
public sealed record AttachmentGcRequest
{
    public string? CniNetwork { get; init; }

    public IReadOnlyList<AttachmentKey>? Valid { get; init; }
}
