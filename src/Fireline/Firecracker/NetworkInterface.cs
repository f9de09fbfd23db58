using System.Text.Json.Serialization;

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
}
