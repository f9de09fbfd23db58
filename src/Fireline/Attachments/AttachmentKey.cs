namespace Fireline.Attachments;

/// <summary>One attachment the runtime still holds, as GC's <c>cni.dev/valid-attachments</c> lists it.</summary>
public sealed record AttachmentKey(string ContainerId, string IfName);
