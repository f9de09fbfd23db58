namespace Fireline.Attachments;

/// <summary>The answer to a CHECK: the attachment, and what is wrong with it (nothing when it is whole).</summary>
public sealed record AttachmentCheck(AttachmentRecord Attachment, IReadOnlyList<string> Problems);
