namespace Fireline.State;

/// <summary>
/// A network as declared: its subnet (gateway = first address), its bridge on the host, and whether its
/// traffic is masqueraded out of the uplink. Compared by value to decide whether an apply changes anything.
/// </summary>
public sealed record NetworkSpec
{
    public required string Name { get; init; }

    /// <summary>IPv4 subnet in CIDR form, network address exact (10.100.0.0/16).</summary>
    public required string Subnet { get; init; }

    public required string Bridge { get; init; }

    public bool Nat { get; init; } = true;

    /// <summary>DNS servers handed to guests in the boot argument (at most two are used).</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];

    public bool Equals(NetworkSpec? other)
        => other is not null && Name == other.Name && Subnet == other.Subnet && Bridge == other.Bridge && Nat == other.Nat &&
           Dns.SequenceEqual(other.Dns);

    public override int GetHashCode() => HashCode.Combine(Name, Subnet, Bridge, Nat);
}
