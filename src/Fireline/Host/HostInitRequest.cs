namespace Fireline.Host;

/// <summary>The options of <c>fireline host init</c>; defaults are the design document's.</summary>
public sealed record HostInitRequest
{
    public const string DefaultBridge = "br-vms";
    public const string DefaultSubnet = "10.100.0.0/16";

    /// <summary>The interface NAT goes out of; null: the default route's interface.</summary>
    public string? Uplink { get; init; }

    public string Bridge { get; init; } = DefaultBridge;

    public string Subnet { get; init; } = DefaultSubnet;

    public bool Nat { get; init; } = true;

    /// <summary>An IPv6 prefix (/48-/96) that makes the default network dual stack; null leaves it as it is.</summary>
    public string? Ipv6Prefix { get; init; }
}
