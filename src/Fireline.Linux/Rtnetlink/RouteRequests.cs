using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// Builds route messages into a <see cref="NetlinkRequest"/>, so several can go to the kernel in one send.
/// <see cref="Routes"/> wraps each in a single-message exchange.
/// </summary>
internal static class RouteRequests
{
    /// <summary><c>ip route add [TYPE] PREFIX|default [via GATEWAY] [dev LINK] [table T] [metric M] [proto P] [scope S]</c></summary>
    public static NetlinkRequest Add(NetlinkRequest request, Route route)
        => Change(request, route, NetlinkFlags.Create | NetlinkFlags.Exclusive | NetlinkFlags.Ack, "add");

    /// <summary><c>ip route replace ...</c>: creates the route, or changes the one with the same prefix, table and metric.</summary>
    public static NetlinkRequest Replace(NetlinkRequest request, Route route)
        => Change(request, route, NetlinkFlags.Create | NetlinkFlags.Replace | NetlinkFlags.Ack, "replace");

    /// <summary>
    /// <c>ip route del [TYPE] PREFIX|default [via GATEWAY] [dev LINK] [table T] [metric M]</c>. Only what the route
    /// sets narrows the match: scope and protocol are left open, and the type unless it is not unicast.
    /// </summary>
    public static NetlinkRequest Delete(NetlinkRequest request, Route route)
    {
        Validate(route);
        request.Begin(RtnlMessageType.DelRoute, NetlinkFlags.Ack, Describe("del", route, withScope: false), KernelObjectKind.Route, route.DestinationText);
        Header(request, route, RouteScope.Nowhere, RouteProtocol.Unspecified, route.Type == RouteType.Unicast ? RouteType.Unspecified : route.Type);
        return Attributes(request, route).End();
    }

    /// <summary><c>ip route get ADDRESS</c>: which route the kernel would use for a packet to that address.</summary>
    public static NetlinkRequest Get(NetlinkRequest request, IPAddress destination)
        => request.Begin(RtnlMessageType.GetRoute, NetlinkFlags.None, $"ip route get {destination}", KernelObjectKind.Route, destination.ToString())
            .Struct(new RtMsg
            {
                Family = InetAddresses.Family(destination),
                DestinationLength = (byte)InetAddresses.MaxPrefixLength(destination.AddressFamily),
                // IPv6 reports the table anyway; iproute2 asks for it only for IPv4.
                Flags = destination.AddressFamily == AddressFamily.InterNetwork ? Rta.FlagLookupTable : 0,
            })
            .Inet(Rta.Destination, destination)
            .End();

    /// <summary><c>ip route show table all</c> (the kernel dumps every table; <see cref="Routes.List"/> picks one)</summary>
    public static NetlinkRequest List(NetlinkRequest request, AddressFamily family)
        => request.Begin(RtnlMessageType.GetRoute, NetlinkFlags.Dump, family switch
            {
                AddressFamily.InterNetwork => "ip -4 route show table all",
                AddressFamily.InterNetworkV6 => "ip -6 route show table all",
                _ => "ip route show table all",
            }, KernelObjectKind.Route, null)
            .Struct(new RtMsg { Family = InetAddresses.Family(family) })
            .End();

    /// <summary>Reads an RTM_NEWROUTE reply; null for families other than IPv4 and IPv6.</summary>
    public static Route? Parse(NetlinkMessage message)
    {
        var header = message.Header<RtMsg>();
        if (InetAddresses.FromFamily(header.Family) is not { } family)
        {
            return null;
        }

        IPAddress? destination = null, gateway = null, preferredSource = null;
        int? linkIndex = null, metric = null;
        int table = header.Table;
        foreach (var attribute in message.Attributes<RtMsg>())
        {
            switch (attribute.Type)
            {
                case Rta.Destination: destination = InetAddresses.Read(attribute.Value); break;
                case Rta.Gateway: gateway = InetAddresses.Read(attribute.Value); break;
                case Rta.PreferredSource: preferredSource = InetAddresses.Read(attribute.Value); break;
                case Rta.OutputInterface: linkIndex = attribute.S32; break;
                case Rta.Priority: metric = attribute.S32; break;
                case Rta.Table: table = attribute.S32; break;
            }
        }

        return new Route(header.DestinationLength == 0 || destination is null ? null : new IPNetwork(destination, header.DestinationLength))
        {
            Family = family,
            Gateway = gateway,
            LinkIndex = linkIndex,
            Table = table,
            Scope = (RouteScope)header.Scope,
            Protocol = (RouteProtocol)header.Protocol,
            Metric = metric,
            Type = (RouteType)header.Type,
            PreferredSource = preferredSource,
        };
    }

    /// <summary>
    /// True for a route cache entry (RTM_F_CLONED) rather than a configured route. Dumps can hold them; the answer
    /// to <see cref="Get"/> is always one.
    /// </summary>
    public static bool IsCacheEntry(NetlinkMessage message) => (message.Header<RtMsg>().Flags & Rta.FlagCloned) != 0;

    private static NetlinkRequest Change(NetlinkRequest request, Route route, NetlinkFlags flags, string verb)
    {
        Validate(route);
        request.Begin(RtnlMessageType.NewRoute, flags, Describe(verb, route, withScope: true), KernelObjectKind.Route, route.DestinationText);
        Header(request, route, route.EffectiveScope, route.Protocol, route.Type);
        return Attributes(request, route).End();
    }

    private static void Header(NetlinkRequest request, Route route, RouteScope scope, RouteProtocol protocol, RouteType type)
    {
        var table = route.EffectiveTable;
        request.Struct(new RtMsg
        {
            Family = InetAddresses.Family(route.Family),
            DestinationLength = (byte)(route.Destination?.PrefixLength ?? 0),
            // Tables past 255 do not fit in rtm_table; it then says RT_TABLE_UNSPEC and RTA_TABLE carries the number.
            Table = table < 256 ? (byte)table : (byte)RouteTable.Unspecified,
            Protocol = (byte)protocol,
            Scope = (byte)scope,
            Type = (byte)type,
        });
    }

    /// <summary>In iproute2's order (the command line's, then the output link), so the bytes match its own.</summary>
    private static NetlinkRequest Attributes(NetlinkRequest request, Route route)
    {
        if (route.Destination is { } destination)
        {
            request.Inet(Rta.Destination, destination.BaseAddress);
        }

        if (route.PreferredSource is { } source)
        {
            request.Inet(Rta.PreferredSource, source);
        }

        if (route.Gateway is { } gateway)
        {
            request.Inet(Rta.Gateway, gateway);
        }

        if (route.Metric is { } metric)
        {
            request.U32(Rta.Priority, (uint)metric);
        }

        if (route.EffectiveTable >= 256)
        {
            request.U32(Rta.Table, (uint)route.EffectiveTable);
        }

        if (route.LinkIndex is { } link)
        {
            request.U32(Rta.OutputInterface, (uint)link);
        }

        return request;
    }

    private static void Validate(Route route)
    {
        if (route.Family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"a route is IPv4 or IPv6, not {route.Family}", nameof(route));
        }

        InetAddresses.RequireFamily(route.Destination?.BaseAddress, route.Family, "destination");
        InetAddresses.RequireFamily(route.Gateway, route.Family, "gateway");
        InetAddresses.RequireFamily(route.PreferredSource, route.Family, "preferred source");
    }

    private static string Describe(string verb, Route route, bool withScope)
    {
        var text = new System.Text.StringBuilder(route.Family == AddressFamily.InterNetworkV6 ? "ip -6 route " : "ip route ").Append(verb);
        if (route.Type != RouteType.Unicast)
        {
            text.Append(' ').Append(IprouteText.Name(route.Type));
        }

        text.Append(' ').Append(route.DestinationText);
        Append(text, "src", route.PreferredSource);
        Append(text, "via", route.Gateway);
        Append(text, "metric", route.Metric);
        if (route.Table is { } table)
        {
            text.Append(" table ").Append(table.ToString(CultureInfo.InvariantCulture));
        }

        Append(text, "dev", route.LinkIndex);
        if (withScope)
        {
            if (route.Protocol != RouteProtocol.Boot)
            {
                text.Append(" proto ").Append(IprouteText.Name(route.Protocol));
            }

            if (route.Scope is { } scope)
            {
                text.Append(" scope ").Append(IprouteText.Name(scope));
            }
        }

        return text.ToString();
    }

    private static void Append(System.Text.StringBuilder text, string keyword, object? value)
    {
        if (value is not null)
        {
            text.Append(' ').Append(keyword).Append(' ').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
