namespace Fireline.Linux;

/// <summary>
/// How a persistent TAP device is made; the defaults suit a VMM that runs as root. Without CAP_NET_ADMIN a
/// process may attach only if it matches every one of <see cref="Owner"/> and <see cref="Group"/> that is set
/// (the tun driver's rule): give the jailer's uid, its gid, or both.
/// </summary>
public sealed record TapOptions
{
    /// <summary>The uid that may attach without CAP_NET_ADMIN (the jailer's uid): <c>user UID</c>.</summary>
    public uint? Owner { get; init; }

    /// <summary>The gid whose members may attach without CAP_NET_ADMIN: <c>group GID</c>.</summary>
    public uint? Group { get; init; }

    /// <summary>
    /// Frames carry a virtio-net header: <c>vnet_hdr</c>. Firecracker asks for it itself when it attaches, so
    /// the device works either way; setting it here only makes the created state match the attached one.
    /// </summary>
    public bool VnetHeader { get; init; }

    /// <summary>One queue per attached descriptor: <c>multi_queue</c>. Attachers must ask for the same.</summary>
    public bool MultiQueue { get; init; }
}
