namespace Fireline.Attachments;

/// <summary>The answer to a DEL: whether there was an attachment to remove.</summary>
public sealed record AttachmentDeleteResult(bool Deleted);
