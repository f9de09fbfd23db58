namespace Fireline.Attachments;

/// <summary>What a GC removed: the container ids of the attachments it deleted.</summary>
public sealed record AttachmentGcResult(IReadOnlyList<string> Removed);
