namespace Fireline.Linux.TrafficControl;

/// <summary>A qdisc as the kernel reports it (<c>tc qdisc show</c>).</summary>
public sealed record Qdisc
{
    public required int InterfaceIndex { get; init; }

    /// <summary>TCA_KIND: "ingress", "tbf", "htb", "noqueue", ...</summary>
    public required string Kind { get; init; }

    public TcHandle Handle { get; init; }

    public TcHandle Parent { get; init; }
}
