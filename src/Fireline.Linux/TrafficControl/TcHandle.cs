using System.Globalization;

namespace Fireline.Linux.TrafficControl;

/// <summary>
/// A tc handle: 16-bit major and minor numbers, written <c>major:minor</c> in hex as tc writes them
/// (<c>1:</c> is the qdisc 1:0, <c>1:10</c> a class under it).
/// </summary>
public readonly record struct TcHandle(uint Value)
{
    public TcHandle(ushort major, ushort minor)
        : this(((uint)major << 16) | minor)
    {
    }

    /// <summary>TC_H_ROOT: the parent of a device's root (egress) qdisc.</summary>
    public static TcHandle Root { get; } = new(0xFFFFFFFF);

    /// <summary>TC_H_INGRESS: the parent of a device's ingress (or clsact) qdisc.</summary>
    public static TcHandle Ingress { get; } = new(0xFFFFFFF1);

    /// <summary><c>ffff:</c>, the ingress qdisc's own handle; its filters hang below it.</summary>
    public static TcHandle IngressQdisc { get; } = new(0xFFFF, 0);

    public ushort Major => (ushort)(Value >> 16);

    public ushort Minor => (ushort)Value;

    /// <summary>As tc writes it: <c>root</c>, <c>ingress</c>, <c>1:</c>, <c>1:10</c>.</summary>
    public override string ToString()
        => this == Root ? "root"
            : this == Ingress ? "ingress"
            : Minor == 0 ? string.Create(CultureInfo.InvariantCulture, $"{Major:x}:")
            : string.Create(CultureInfo.InvariantCulture, $"{Major:x}:{Minor:x}");
}
