using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using Fireline.Errors;

namespace Fireline.Firecracker;

/// <summary>
/// The body of Firecracker's <c>PUT /mmds/config</c> (pre-boot only): which interfaces answer the metadata
/// service's address, and at which address. The interfaces must exist when it is sent.
/// </summary>
public sealed record MmdsConfig
{
    /// <summary>V2 unless told: Firecracker's own default is V1, which its documentation deprecates.</summary>
    [JsonPropertyName("version")]
    public MmdsVersion Version { get; init; } = MmdsVersion.V2;

    [JsonPropertyName("network_interfaces")]
    public required IReadOnlyList<string> NetworkInterfaces { get; init; }

    /// <summary>A link-local IPv4 address; null leaves Firecracker's default, 169.254.169.254.</summary>
    [JsonPropertyName("ipv4_address")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ipv4Address { get; init; }

    public void Validate()
    {
        if (NetworkInterfaces.Count == 0)
        {
            throw DomainErrors.InvalidInput("mmds.networkInterfaces", "MMDS needs at least one network interface to answer on");
        }

        foreach (var id in NetworkInterfaces)
        {
            NetworkInterface.ValidateIfaceId(id, "mmds.networkInterfaces");
        }

        // Firecracker's schema: 169.254.0.0/16 less the two /24s RFC 3927 reserves, as a plain dotted quad
        // (IPAddress.TryParse also takes "169.254.1" or a bare number; Firecracker does not).
        if (Ipv4Address is not null &&
            (!IPAddress.TryParse(Ipv4Address, out var address) || address.AddressFamily != AddressFamily.InterNetwork ||
             address.ToString() != Ipv4Address || address.GetAddressBytes() is not [169, 254, >= 1 and <= 254, _]))
        {
            throw DomainErrors.InvalidInput("mmds.ipv4Address", $"MMDS address '{Ipv4Address}' must be a link-local IPv4 address, 169.254.1.0 to 169.254.254.255");
        }
    }
}
