using System.CommandLine;
using System.Globalization;
using Fireline.Errors;
using Fireline.Vms;

namespace Fireline.Cli.Commands;

/// <summary>
/// The rate-limit flags of <c>vm create</c> and <c>vm limit</c>: bandwidth in bytes per second and ops per
/// second for each direction (rx: what the guest receives, tx: what it sends), with an optional one-time
/// burst. Each becomes a Firecracker token bucket refilled every 100 ms.
/// </summary>
internal sealed class LimitOptions
{
    private readonly Option<string?> _rxBandwidth = new("--rx-bandwidth") { Description = "Most bytes per second the guest receives (e.g. 10M, 1GiB/s)", HelpName = "B/s" };
    private readonly Option<string?> _txBandwidth = new("--tx-bandwidth") { Description = "Most bytes per second the guest sends", HelpName = "B/s" };
    private readonly Option<string?> _rxOps = new("--rx-ops") { Description = "Most packets per second the guest receives", HelpName = "N/s" };
    private readonly Option<string?> _txOps = new("--tx-ops") { Description = "Most packets per second the guest sends", HelpName = "N/s" };
    private readonly Option<string?> _rxBurst = new("--rx-burst") { Description = "One-time burst in bytes on top of the rx bandwidth", HelpName = "BYTES" };
    private readonly Option<string?> _txBurst = new("--tx-burst") { Description = "One-time burst in bytes on top of the tx bandwidth", HelpName = "BYTES" };

    public void AddTo(Command command)
    {
        foreach (var option in new[] { _rxBandwidth, _txBandwidth, _rxOps, _txOps, _rxBurst, _txBurst })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The limits the flags describe; null when no flag was given. Throws invalid-argument naming the flag.</summary>
    public RateLimits? Read(ParseResult parse)
    {
        var rx = Direction(parse, _rxBandwidth, _rxOps, _rxBurst);
        var tx = Direction(parse, _txBandwidth, _txOps, _txBurst);
        return rx is null && tx is null ? null : new RateLimits { Rx = rx, Tx = tx };
    }

    private static RateLimit? Direction(ParseResult parse, Option<string?> bandwidth, Option<string?> ops, Option<string?> burst)
    {
        var bytes = Rate(parse, bandwidth);
        var packets = Rate(parse, ops);
        var extra = Rate(parse, burst);
        if (extra is not null && bytes is null)
        {
            throw DomainErrors.InvalidInput(burst.Name, $"{burst.Name} needs the matching bandwidth flag");
        }

        if (bytes is null && packets is null)
        {
            return null;
        }

        return new RateLimit
        {
            Bandwidth = bytes is { } b ? Bucket.ForBandwidth(b) with { OneTimeBurst = extra } : null,
            Ops = packets is { } p ? Bucket.ForBandwidth(p) : null,
        };
    }

    private static long? Rate(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is not { } text)
        {
            return null;
        }

        return ByteRate.TryParse(text, out var value, out var error)
            ? value
            : throw DomainErrors.InvalidInput(option.Name, string.Create(CultureInfo.InvariantCulture, $"{option.Name}: {error}"));
    }
}
