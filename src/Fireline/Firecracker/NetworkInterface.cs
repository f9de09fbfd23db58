using System.Text;
using System.Text.Json.Serialization;
using Fireline.Errors;
using Fireline.Linux;

namespace Fireline.Firecracker;

/// <summary>
/// The body of Firecracker's <c>PUT /network-interfaces/{iface_id}</c>, with Firecracker's own field names.
/// </summary>
public sealed record NetworkInterface
{
    [JsonPropertyName("iface_id")]
    public required string IfaceId { get; init; }

    [JsonPropertyName("host_dev_name")]
    public required string HostDevName { get; init; }

    [JsonPropertyName("guest_mac")]
    public required string GuestMac { get; init; }

    [JsonPropertyName("rx_rate_limiter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RateLimiter? RxRateLimiter { get; init; }

    [JsonPropertyName("tx_rate_limiter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RateLimiter? TxRateLimiter { get; init; }

    /// <summary>
    /// Refuses, before anything is sent, what Firecracker would refuse after the fact: an id it does not take in a
    /// path, a TAP name the kernel cannot have, a malformed MAC, a rate limiter that would not limit.
    /// </summary>
    public void Validate()
    {
        ValidateIfaceId(IfaceId, "ifaceId");
        // Firecracker opens the TAP by name with TUNSETIFF: IFNAMSIZ (16) bytes with the terminating NUL.
        if (string.IsNullOrEmpty(HostDevName) || Encoding.UTF8.GetByteCount(HostDevName) > 15)
        {
            throw DomainErrors.InvalidInput("hostDevName", $"TAP device name '{HostDevName}' must be 1 to 15 bytes long");
        }

        if (!MacAddress.TryParse(GuestMac, out _))
        {
            throw DomainErrors.InvalidInput("guestMac", $"guest MAC '{GuestMac}' is not six hex pairs like 06:00:0a:64:00:02");
        }

        RxRateLimiter?.Validate("rx");
        TxRateLimiter?.Validate("tx");
    }

    /// <summary>Firecracker's rule for resource ids in its paths: not empty, letters, digits and '_' only.</summary>
    internal static void ValidateIfaceId(string id, string field)
    {
        if (string.IsNullOrEmpty(id) || !id.All(c => c == '_' || char.IsLetterOrDigit(c)))
        {
            throw DomainErrors.InvalidInput(field, $"interface id '{id}' must be letters, digits and '_' only (Firecracker's rule for ids)");
        }
    }
}
