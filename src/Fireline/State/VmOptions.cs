using Fireline.Attachments;
using Fireline.Policy;
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

    /// <summary>
    /// The VM's own policy rules (validated, canonical), evaluated before its network's; null: none. Absent in
    /// state written before per-VM policies, which reads as none. Changeable later (<c>fireline vm policy</c>).
    /// </summary>
    public IReadOnlyList<PolicyRule>? Policies { get; init; }

    // The rules are compared by value: creating a VM again with the same rules is the same VM.
    public bool Equals(VmOptions? other)
        => other is not null && RateLimits == other.RateLimits && Ipv6 == other.Ipv6 && TapOwner == other.TapOwner && TapGroup == other.TapGroup &&
           Sriov == other.Sriov && Attachment == other.Attachment && (Policies ?? []).SequenceEqual(other.Policies ?? []);

    public override int GetHashCode() => HashCode.Combine(RateLimits, Ipv6, TapOwner, TapGroup, Sriov, Attachment, Policies?.Count ?? 0);
}
