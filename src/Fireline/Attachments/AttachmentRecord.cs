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
