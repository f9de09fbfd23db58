using System.Globalization;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.TrafficControl;

/// <summary>
/// A class of an <see cref="Htb"/> qdisc:
/// <c>tc class add dev NAME parent MAJOR: classid MAJOR:MINOR htb rate RATE ceil CEIL burst B cburst CB</c>.
/// Rates in bytes per second, bursts in bytes; the ceiling defaults to the rate and its burst to the burst.
/// </summary>
public sealed class HtbClass
{
    public HtbClass(TcHandle classId, ulong rateBytesPerSecond, uint burstBytes)
    {
        ArgumentOutOfRangeException.ThrowIfZero(classId.Minor);
        ArgumentOutOfRangeException.ThrowIfZero(rateBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfZero(burstBytes);
        ClassId = classId;
        RateBytesPerSecond = rateBytesPerSecond;
        BurstBytes = burstBytes;
    }

    public TcHandle ClassId { get; }

    /// <summary>The qdisc (or parent class) the class hangs under; the qdisc MAJOR: by default.</summary>
    public TcHandle Parent
    {
        get => field == default ? new TcHandle(ClassId.Major, 0) : field;
        init;
    }

    public ulong RateBytesPerSecond { get; }

    public uint BurstBytes { get; }

    public ulong CeilBytesPerSecond
    {
        get => field == 0 ? RateBytesPerSecond : field;
        init => field = value >= RateBytesPerSecond ? value
            : throw new ArgumentOutOfRangeException(nameof(CeilBytesPerSecond), value, "the ceiling is below the rate");
    }

    public uint CeilBurstBytes
    {
        get => field == 0 ? BurstBytes : field;
        init;
    }

    internal void WriteOptions(NetlinkRequest request)
    {
        var options = request.BeginNested(Tca.Options);
        // HTB takes its buckets as transmit times, not bytes: there is no byte-burst attribute as TBF has.
        TcStruct.Write(request, TcaHtb.Parms, new TcHtbOpt
        {
            Rate = TcRateSpec.ForRate(RateBytesPerSecond),
            Ceil = TcRateSpec.ForRate(CeilBytesPerSecond),
            Buffer = TcRateSpec.TransmitTicks(BurstBytes, RateBytesPerSecond),
            CeilBuffer = TcRateSpec.TransmitTicks(CeilBurstBytes, CeilBytesPerSecond),
        });
        if (TcRateSpec.NeedsRate64(RateBytesPerSecond))
        {
            request.U64(TcaHtb.Rate64, RateBytesPerSecond);
        }

        if (TcRateSpec.NeedsRate64(CeilBytesPerSecond))
        {
            request.U64(TcaHtb.Ceil64, CeilBytesPerSecond);
        }

        request.EndNested(options);
    }

    internal string Describe()
        => string.Create(CultureInfo.InvariantCulture,
            $"parent {Parent} classid {ClassId} htb rate {RateBytesPerSecond}bps ceil {CeilBytesPerSecond}bps burst {BurstBytes} cburst {CeilBurstBytes}");
}
