using Fireline.Vms;

namespace Fireline.Attachments;

/// <summary>
/// An attachment as the API returns it: everything a CNI result is written from (the plugin adds nothing of its
/// own but the shape of the spec version asked for).
/// </summary>
public sealed record AttachmentRecord
{
    /// <summary>The runtime's side: CNI network, container id, interface name, namespace, TAP.</summary>
    public required Attachment Attachment { get; init; }

    /// <summary>The Fireline network the VM is on.</summary>
    public required string Network { get; init; }

    public required string HostVeth { get; init; }

    /// <summary>The MAC the guest must use: anti-spoofing lets no other through.</summary>
    public required string GuestMac { get; init; }

    public required IpConfig Ipv4 { get; init; }

    public IpConfig? Ipv6 { get; init; }

    /// <summary>The network's DNS servers (none when it names none).</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];
}

/// <summary>The answer to a CHECK: the attachment, and what is wrong with it (nothing when it is whole).</summary>
public sealed record AttachmentCheck(AttachmentRecord Attachment, IReadOnlyList<string> Problems);

/// <summary>The answer to a DEL: whether there was an attachment to remove.</summary>
public sealed record AttachmentDeleteResult(bool Deleted);

/// <summary>One attachment the runtime still holds, as GC's <c>cni.dev/valid-attachments</c> lists it.</summary>
public sealed record AttachmentKey(string ContainerId, string IfName);

/// <summary>The body of <c>POST /v1/attachments:gc</c>: the CNI network and the attachments still valid on it.</summary>
public sealed record AttachmentGcRequest
{
    public string? CniNetwork { get; init; }

    public IReadOnlyList<AttachmentKey>? Valid { get; init; }
}

/// <summary>What a GC removed: the container ids of the attachments it deleted.</summary>
public sealed record AttachmentGcResult(IReadOnlyList<string> Removed);
