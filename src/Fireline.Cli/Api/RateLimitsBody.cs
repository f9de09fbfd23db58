using Fireline.Vms;

namespace Fireline.Cli.Api;

/// <summary>
/// A VM's rate limits in the API: <c>{rx?, tx?}</c> (rx: what the guest receives, tx: what it sends). The body
/// of <c>PATCH /v1/vms/{id}/rate-limits</c>, where <c>{}</c> removes every limit, and a field of the create body.
/// </summary>
internal sealed class RateLimitsBody : StrictBody
{
    public LimiterBody? Rx { get; init; }

    public LimiterBody? Tx { get; init; }

    public override void Validate(string path)
    {
        RefuseUnknown(path, "rx", "tx");
        Rx?.Validate(Join(path, "rx"));
        Tx?.Validate(Join(path, "tx"));
    }

    public RateLimits ToRateLimits() => new() { Rx = Rx?.ToLimiter(), Tx = Tx?.ToLimiter() };

    public static RateLimitsBody From(RateLimits? limits) => new() { Rx = LimiterBody.From(limits?.Rx), Tx = LimiterBody.From(limits?.Tx) };
}
