namespace Fireline.Attachments;

/// <summary>
/// What makes a VM a CNI attachment: the runtime's (container id, interface name) pair on a CNI network, and the
/// namespace the runtime owns, where Fireline put the veth end named <see cref="IfName"/> and the TAP. Stored with
/// the VM (in its options), so every part of Fireline that walks VMs (delete, reconcile, doctor, stats) finds the
/// devices where they are and knows the namespace is not its own to create or remove.
/// </summary>
public sealed record Attachment
{
    /// <summary>The CNI network's name (the configuration's <c>name</c>): GC is scoped to it.</summary>
    public required string CniNetwork { get; init; }

    /// <summary><c>CNI_CONTAINERID</c>; also the VM's id.</summary>
    public required string ContainerId { get; init; }

    /// <summary><c>CNI_IFNAME</c>: the veth end inside the runtime's namespace.</summary>
    public required string IfName { get; init; }

    /// <summary><c>CNI_NETNS</c>: the runtime's namespace, by the path it gave.</summary>
    public required string Netns { get; init; }

    /// <summary>The TAP inside that namespace (<c>TC_REDIRECT_TAP_NAME</c>, <c>tap0</c> by default).</summary>
    public required string TapName { get; init; }
}
