using Fireline.Firecracker;

namespace Fireline.Vms;

/// <summary>
/// A VM's network as the CLI prints it and the API returns it (DESIGN.md, "VM record"). Derived from the
/// stored state; every field a VMM, its jailer or a guest needs.
/// </summary>
public sealed record VmRecord
{
    public required string VmId { get; init; }

    public required string Network { get; init; }

    /// <summary>The namespace's name (<c>vm-ID</c>), as <c>ip netns</c> lists it.</summary>
    public required string Namespace { get; init; }

    /// <summary>The namespace's path, what the jailer's <c>--netns</c> takes.</summary>
    public required string NetnsPath { get; init; }

    /// <summary>The TAP device inside the namespace that the VMM opens.</summary>
    public required string TapDevice { get; init; }

    /// <summary>The host end of the VM's veth pair, on the network's bridge.</summary>
    public required string HostVeth { get; init; }

    public required string GuestMac { get; init; }

    public required IpConfig Ipv4 { get; init; }

    /// <summary>Dual-stack configuration, or null when the VM has none.</summary>
    public required IpConfig? Ipv6 { get; init; }

    /// <summary>The kernel command-line argument that configures the guest's eth0.</summary>
    public required string BootArgs { get; init; }

    public required NetworkInterface Firecracker { get; init; }

    public required IReadOnlyList<string> JailerArgs { get; init; }

    /// <summary>The VM's SR-IOV VF, or null when it has none.</summary>
    public Sriov.VfAssignment? Sriov { get; init; }

    /// <summary>The VM's own policy rules, evaluated before its network's (empty: none).</summary>
    public IReadOnlyList<Policy.PolicyRule> Policies { get; init; } = [];

    /// <summary>creating, ready or deleting.</summary>
    public required string State { get; init; }
}

/// <summary>A guest address with its prefix length and gateway.</summary>
public sealed record IpConfig(string Address, int PrefixLength, string Gateway);
