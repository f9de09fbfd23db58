using System.Text.Json.Serialization;

namespace Fireline.Policy;

/// <summary>
/// One rule of a network's policy, as the design document's <c>network-config.yaml</c> writes it (plus port
/// ranges and a destination). Ingress rules match traffic to the network's VMs, egress rules traffic from them;
/// <see cref="Source"/> and <see cref="Destination"/> are CIDRs matched against the original addresses.
/// </summary>
public sealed record PolicyRule
{
    public required string Name { get; init; }

    public required PolicyDirection Direction { get; init; }

    /// <summary>tcp, udp or icmp; null matches every protocol.</summary>
    public string? Protocol { get; init; }

    /// <summary>First port of the range (tcp/udp only); null matches every port.</summary>
    public int? PortFrom { get; init; }

    /// <summary>Last port of the range; equal to <see cref="PortFrom"/> for a single port.</summary>
    public int? PortTo { get; init; }

    /// <summary>CIDR of the sender; null matches any.</summary>
    public string? Source { get; init; }

    /// <summary>CIDR of the receiver; null matches any.</summary>
    public string? Destination { get; init; }

    public required PolicyAction Action { get; init; }
}

public enum PolicyDirection
{
    [JsonStringEnumMemberName("ingress")]
    Ingress,

    [JsonStringEnumMemberName("egress")]
    Egress,
}

public enum PolicyAction
{
    [JsonStringEnumMemberName("allow")]
    Allow,

    [JsonStringEnumMemberName("deny")]
    Deny,
}
