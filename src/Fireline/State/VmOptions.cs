using Fireline.Attachments;
using Fireline.Vms;

namespace Fireline.State;

/// <summary>
/// The options a VM was created with. Creating the same id again with equal options returns the existing VM;
/// different options are a conflict.
/// </summary>
public sealed record VmOptions
{
    /// <summary>The VM's rate limits; null: unlimited. Changeable later (<c>fireline vm limit</c>).</summary>
    public RateLimits? RateLimits { get; init; }

    public bool Ipv6 { get; init; }

    /// <summary>User that may open the TAP (a jailed, unprivileged Firecracker); null: root only.</summary>
    public uint? TapOwner { get; init; }

    /// <summary>Group that may open the TAP; null: any (when an owner is set, both must match).</summary>
    public uint? TapGroup { get; init; }

    /// <summary>The physical function (or "any") the VM took an SR-IOV VF from; null: none.</summary>
    public string? Sriov { get; init; }

    /// <summary>The CNI attachment the VM is (its namespace is the runtime's, not Fireline's); null: a VM of the API or CLI.</summary>
    public Attachment? Attachment { get; init; }
}
