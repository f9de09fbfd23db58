using System.Text.Json.Serialization;

namespace Fireline.Firecracker;

/// <summary>
/// The body of Firecracker's <c>PATCH /network-interfaces/{iface_id}</c>: on a started VM only the rate limiters of
/// an interface can change. An absent limiter (or bucket) is left as it is.
/// </summary>
public sealed record PartialNetworkInterface
{
    [JsonPropertyName("iface_id")]
    public required string IfaceId { get; init; }

    [JsonPropertyName("rx_rate_limiter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RateLimiter? RxRateLimiter { get; init; }

    [JsonPropertyName("tx_rate_limiter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RateLimiter? TxRateLimiter { get; init; }

    public void Validate()
    {
        NetworkInterface.ValidateIfaceId(IfaceId, "ifaceId");
        RxRateLimiter?.Validate("rx");
        TxRateLimiter?.Validate("tx");
    }
}
