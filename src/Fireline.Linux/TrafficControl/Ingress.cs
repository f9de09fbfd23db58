namespace Fireline.Linux.TrafficControl;

/// <summary>
/// The ingress qdisc: <c>tc qdisc add dev NAME ingress</c>. It holds filters that see every frame the device
/// receives, which is all the TAP/veth join needs; clsact would add an egress hook on every transmit as well.
/// </summary>
public sealed class Ingress : QdiscKind
{
    public override string Kind => "ingress";

    public override TcHandle Parent => TcHandle.Ingress;

    public override TcHandle Handle => TcHandle.IngressQdisc;

    internal override string Describe() => "ingress";
}
