using System.Globalization;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.TrafficControl;

/// <summary>
/// A token bucket filter as a device's root qdisc:
/// <c>tc qdisc add dev NAME root tbf rate RATE burst BURST latency LATENCY|limit LIMIT</c>.
/// It shapes what the device transmits. The rate goes to the kernel with the Ethernet link layer set, so the
/// kernel computes transmit times itself and needs no rate table (TCA_TBF_RTAB is only read from old tools
/// that leave the link layer unset); the burst goes in bytes (TCA_TBF_BURST).
/// </summary>
public sealed class Tbf : QdiscKind
{
    private readonly TimeSpan? _latency;

    /// <summary>A bucket whose queue holds what can wait <paramref name="latency"/> at the rate, plus the burst (tc's rule).</summary>
    public Tbf(ulong rateBytesPerSecond, uint burstBytes, TimeSpan latency)
        : this(rateBytesPerSecond, burstBytes, LimitFor(rateBytesPerSecond, burstBytes, latency))
    {
        _latency = latency;
    }

    /// <summary>A bucket whose queue holds <paramref name="limitBytes"/>.</summary>
    public Tbf(ulong rateBytesPerSecond, uint burstBytes, uint limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rateBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfZero(burstBytes);
        // With no queue the kernel keeps its noop child qdisc, which drops every packet.
        ArgumentOutOfRangeException.ThrowIfZero(limitBytes);
        RateBytesPerSecond = rateBytesPerSecond;
        BurstBytes = burstBytes;
        LimitBytes = limitBytes;
    }

    public override string Kind => "tbf";

    public ulong RateBytesPerSecond { get; }

    public uint BurstBytes { get; }

    /// <summary>The queue length in bytes (tc's <c>limit</c>).</summary>
    public uint LimitBytes { get; }

    internal override void WriteOptions(NetlinkRequest request)
    {
        var options = request.BeginNested(Tca.Options);
        TcStruct.Write(request, TcaTbf.Parms, new TcTbfQopt
        {
            Rate = TcRateSpec.ForRate(RateBytesPerSecond),
            Limit = LimitBytes,
            Buffer = TcRateSpec.TransmitTicks(BurstBytes, RateBytesPerSecond),
        });
        request.U32(TcaTbf.Burst, BurstBytes);
        if (TcRateSpec.NeedsRate64(RateBytesPerSecond))
        {
            request.U64(TcaTbf.Rate64, RateBytesPerSecond);
        }

        request.EndNested(options);
    }

    internal override string Describe()
        => string.Create(CultureInfo.InvariantCulture, $"root tbf rate {RateBytesPerSecond}bps burst {BurstBytes} ") +
           (_latency is { } latency
               ? string.Create(CultureInfo.InvariantCulture, $"latency {latency.TotalMilliseconds}ms")
               : string.Create(CultureInfo.InvariantCulture, $"limit {LimitBytes}"));

    private static uint LimitFor(ulong rateBytesPerSecond, uint burstBytes, TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(latency, TimeSpan.Zero);
        var limit = (UInt128)rateBytesPerSecond * (ulong)latency.Ticks / TimeSpan.TicksPerSecond + burstBytes;
        return limit <= uint.MaxValue ? (uint)limit
            : throw new ArgumentOutOfRangeException(nameof(latency), latency, "rate x latency + burst exceeds the kernel's 32-bit queue limit");
    }
}
