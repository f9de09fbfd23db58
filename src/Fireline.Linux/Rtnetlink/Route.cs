using System.Net;
using System.Net.Sockets;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// A route, as given to <see cref="Routes.Add"/> or read back by <see cref="Routes.List"/> and
/// <see cref="Routes.Get"/>. Settings left null are chosen the way iproute2 chooses them.
/// </summary>
public sealed record Route
{
    private readonly AddressFamily? _family;

    /// <param name="destination">The prefix the route matches; null for the default route.</param>
    public Route(IPNetwork? destination) => Destination = destination;

    public IPNetwork? Destination { get; }

    /// <summary>IPv4 or IPv6: the destination's family, else the gateway's, else IPv4 unless set (an IPv6 default route without gateway).</summary>
    public AddressFamily Family
    {
        get => _family ?? Destination?.BaseAddress.AddressFamily ?? Gateway?.AddressFamily ?? AddressFamily.InterNetwork;
        init => _family = value;
    }

    /// <summary>The next hop (RTA_GATEWAY); null for a directly connected destination.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>The output link (RTA_OIF).</summary>
    public int? LinkIndex { get; init; }

    /// <summary>The table; null means main, or local for local, broadcast and anycast routes (as iproute2 does).</summary>
    public int? Table { get; init; }

    /// <summary>Null: link for a unicast IPv4 route without gateway, host for a local one, universe otherwise.</summary>
    public RouteScope? Scope { get; init; }

    public RouteProtocol Protocol { get; init; } = RouteProtocol.Boot;

    /// <summary>The metric (RTA_PRIORITY); lower wins. Null: the kernel's default (0 for IPv4, 1024 for IPv6).</summary>
    public int? Metric { get; init; }

    public RouteType Type { get; init; } = RouteType.Unicast;

    /// <summary>The source address the kernel picks for traffic along the route (RTA_PREFSRC).</summary>
    public IPAddress? PreferredSource { get; init; }

    /// <summary>The default route: <c>default via GATEWAY</c>.</summary>
    public static Route Default(IPAddress gateway) => new((IPNetwork?)null) { Gateway = gateway };

    /// <summary>The destination as iproute2 writes it: <c>default</c> or <c>10.200.0.0/16</c>.</summary>
    public string DestinationText => Destination?.ToString() ?? "default";

    /// <summary>The table after iproute2's defaults.</summary>
    internal int EffectiveTable => Table ?? (Type is RouteType.Local or RouteType.Broadcast or RouteType.Anycast ? RouteTable.Local : RouteTable.Main);

    /// <summary>The scope after iproute2's defaults.</summary>
    internal RouteScope EffectiveScope => Scope ?? (Family, Type) switch
    {
        (AddressFamily.InterNetworkV6, _) => RouteScope.Universe,
        (_, RouteType.Local) => RouteScope.Host,
        (_, RouteType.Broadcast or RouteType.Multicast or RouteType.Anycast) => RouteScope.Link,
        (_, RouteType.Unicast) when Gateway is null => RouteScope.Link,
        _ => RouteScope.Universe,
    };
}
