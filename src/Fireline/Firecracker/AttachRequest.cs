namespace Fireline.Firecracker;

/// <summary>
/// What <see cref="FirecrackerClient.Attach"/> gives a VMM: the VM record's interface (<c>firecracker</c>) and,
/// before boot, the record's kernel arguments and MMDS.
/// </summary>
public sealed record AttachRequest
{
    /// <summary>The interface: TAP, MAC and rate limiters (the VM record's <c>firecracker</c> object).</summary>
    public required NetworkInterface Interface { get; init; }

    /// <summary>
    /// Fireline's kernel arguments (the VM record's <c>bootArgs</c>, <c>ip=...</c>), merged into the boot source
    /// before boot with <see cref="Firecracker.BootArgs.Merge"/>. Null leaves the boot arguments alone.
    /// </summary>
    public string? BootArgs { get; init; }

    /// <summary>
    /// The kernel and the caller's own arguments to set before boot. Null with <see cref="BootArgs"/> set: the boot
    /// source the VMM already has (read back with <c>GET /vm/config</c>), if it has one yet.
    /// </summary>
    public BootSource? BootSource { get; init; }

    /// <summary>The metadata service's configuration to set before boot; null leaves MMDS alone.</summary>
    public MmdsConfig? Mmds { get; init; }
}
