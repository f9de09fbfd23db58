using System.Text.Json.Serialization;

namespace Fireline.Vms;

/// <summary>
/// A VM's rate limits for what the guest receives (rx) and sends (tx): the API's <c>{rx?, tx?}</c>, kept as is in
/// the state. Enforced by the VMM's limiter on attach, or by tc on networks that say so.
/// </summary>
public sealed record RateLimits
{
    public RateLimit? Rx { get; init; }

    public RateLimit? Tx { get; init; }

    [JsonIgnore]
    public bool IsEmpty => Rx is null && Tx is null;

    /// <summary>Checks every bucket, naming the field of the first problem (<c>rx.bandwidth.refillTimeMs</c>).</summary>
    public void Validate()
    {
        Rx?.Validate("rx");
        Tx?.Validate("tx");
    }
}
