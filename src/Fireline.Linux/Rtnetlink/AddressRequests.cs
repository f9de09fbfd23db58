using System.Net.Sockets;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// Builds address messages into a <see cref="NetlinkRequest"/>, so several can go to the kernel in one send.
/// <see cref="Addresses"/> wraps each in a single-message exchange.
/// </summary>
internal static class AddressRequests
{
    /// <summary><c>ip addr add ADDRESS/PREFIX [broadcast B] dev LINK [nodad] [noprefixroute]</c></summary>
    public static NetlinkRequest Add(NetlinkRequest request, Address address)
    {
        if (address.Broadcast is not null && (address.Family != AddressFamily.InterNetwork || address.Broadcast.AddressFamily != AddressFamily.InterNetwork))
        {
            throw new ArgumentException($"{address.Cidr} broadcast {address.Broadcast}: only IPv4 addresses have a broadcast address", nameof(address));
        }

        var text = $"ip addr add {address.Cidr}" + (address.Broadcast is { } b ? $" broadcast {b}" : "") +
                   $" dev {address.LinkIndex}" + Describe(address.Flags);
        Header(request, RtnlMessageType.NewAddr, NetlinkFlags.Create | NetlinkFlags.Exclusive | NetlinkFlags.Ack, text, address,
            // Flags above the low byte only fit in IFA_FLAGS; iproute2 then leaves the header's byte zero.
            address.Flags <= (AddressFlags)0xff ? (byte)address.Flags : (byte)0);
        if (address.Broadcast is { } broadcast)
        {
            request.Inet(Ifa.Broadcast, broadcast);
        }

        if (address.Label is { } label)
        {
            request.String(Ifa.Label, label);
        }

        if (address.Flags > (AddressFlags)0xff)
        {
            request.U32(Ifa.Flags, (uint)address.Flags);
        }

        // IFA_ADDRESS is the peer on point-to-point links; on others it equals IFA_LOCAL, as iproute2 sends it.
        return request.Inet(Ifa.Address, address.Local).End();
    }

    /// <summary><c>ip addr del ADDRESS/PREFIX dev LINK</c></summary>
    public static NetlinkRequest Delete(NetlinkRequest request, Address address)
        => Header(request, RtnlMessageType.DelAddr, NetlinkFlags.Ack, $"ip addr del {address.Cidr} dev {address.LinkIndex}", address, 0)
            .Inet(Ifa.Address, address.Local).End();

    /// <summary>
    /// <c>ip addr show [dev LINK]</c> (every address of one family, or all with <see cref="AddressFamily.Unspecified"/>);
    /// the kernel filters by <paramref name="linkIndex"/> only on a socket with strict checking on.
    /// </summary>
    public static NetlinkRequest List(NetlinkRequest request, AddressFamily family, int linkIndex = 0)
        => request.Begin(RtnlMessageType.GetAddr, NetlinkFlags.Dump, family switch
            {
                AddressFamily.InterNetwork => "ip -4 addr show",
                AddressFamily.InterNetworkV6 => "ip -6 addr show",
                _ => "ip addr show",
            } + (linkIndex != 0 ? $" dev {linkIndex}" : ""), KernelObjectKind.Address, null)
            .Struct(new IfAddrMsg { Family = InetAddresses.Family(family), Index = linkIndex })
            .End();

    /// <summary>Reads an RTM_NEWADDR reply; null for families other than IPv4 and IPv6.</summary>
    public static Address? Parse(NetlinkMessage message)
    {
        var header = message.Header<IfAddrMsg>();
        if (InetAddresses.FromFamily(header.Family) is null)
        {
            return null;
        }

        System.Net.IPAddress? local = null, address = null, broadcast = null;
        string? label = null;
        var flags = (AddressFlags)header.Flags;
        foreach (var attribute in message.Attributes<IfAddrMsg>())
        {
            switch (attribute.Type)
            {
                case Ifa.Local: local = InetAddresses.Read(attribute.Value); break;
                case Ifa.Address: address = InetAddresses.Read(attribute.Value); break;
                case Ifa.Broadcast: broadcast = InetAddresses.Read(attribute.Value); break;
                case Ifa.Label: label = attribute.String; break;
                case Ifa.Flags: flags = (AddressFlags)attribute.U32; break;
            }
        }

        // IPv6 reports only IFA_ADDRESS; IPv4 reports both, and IFA_LOCAL is the address of the link itself.
        var own = local ?? address;
        return own is null ? null : new Address(header.Index, own, header.PrefixLength)
        {
            Broadcast = broadcast,
            Flags = flags,
            Scope = (RouteScope)header.Scope,
            Label = label,
        };
    }

    private static NetlinkRequest Header(NetlinkRequest request, ushort type, NetlinkFlags flags, string text, Address address, byte headerFlags)
        => request.Begin(type, flags, text, KernelObjectKind.Address, address.Cidr)
            .Struct(new IfAddrMsg
            {
                Family = InetAddresses.Family(address.Local),
                PrefixLength = (byte)address.PrefixLength,
                Flags = headerFlags,
                Scope = (byte)address.Scope,
                Index = address.LinkIndex,
            })
            .Inet(Ifa.Local, address.Local);

    private static string Describe(AddressFlags flags)
        => ((flags & AddressFlags.NoDad) != 0 ? " nodad" : "") + ((flags & AddressFlags.NoPrefixRoute) != 0 ? " noprefixroute" : "");
}
