using System.Globalization;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.TrafficControl;

/// <summary>
/// A hierarchical token bucket as a device's root qdisc: <c>tc qdisc add dev NAME root handle MAJOR: htb default
/// MINOR</c>. Unclassified traffic goes to class MAJOR:MINOR; add it with <see cref="HtbClass"/>, or the
/// traffic passes unshaped.
/// </summary>
public sealed class Htb : QdiscKind
{
    public Htb(ushort major, ushort defaultClassMinor)
    {
        ArgumentOutOfRangeException.ThrowIfZero(major);
        Handle = new TcHandle(major, 0);
        DefaultClass = new TcHandle(major, defaultClassMinor);
    }

    public override string Kind => "htb";

    public override TcHandle Handle { get; }

    public TcHandle DefaultClass { get; }

    internal override void WriteOptions(NetlinkRequest request)
    {
        var options = request.BeginNested(Tca.Options);
        TcStruct.Write(request, TcaHtb.Init, new TcHtbGlob
        {
            Version = TcaHtb.ProtocolVersion,
            RateToQuantum = TcaHtb.RateToQuantum,
            DefaultClass = DefaultClass.Minor,
        });
        request.EndNested(options);
    }

    // tc reads the default class number as hex.
    internal override string Describe()
        => string.Create(CultureInfo.InvariantCulture, $"root handle {Handle} htb default {DefaultClass.Minor:x}");
}
