using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>IP addresses on the wire: the AF_* family byte of rtnetlink headers and raw address attributes.</summary>
internal static class InetAddresses
{
    public const byte AfUnspec = 0;
    public const byte AfInet = 2;
    public const byte AfInet6 = 10;

    public static byte Family(AddressFamily family) => family switch
    {
        AddressFamily.Unspecified => AfUnspec,
        AddressFamily.InterNetwork => AfInet,
        AddressFamily.InterNetworkV6 => AfInet6,
        _ => throw new ArgumentException($"{family} is neither IPv4 nor IPv6", nameof(family)),
    };

    public static byte Family(IPAddress address) => Family(address.AddressFamily);

    /// <summary>The family of a received header; null for families this layer does not read (IPMR, MPLS, bridge).</summary>
    public static AddressFamily? FromFamily(byte family) => family switch
    {
        AfInet => AddressFamily.InterNetwork,
        AfInet6 => AddressFamily.InterNetworkV6,
        _ => null,
    };

    public static int MaxPrefixLength(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? 128 : 32;

    /// <summary>An address attribute (4 or 16 bytes, network order) as the kernel takes it.</summary>
    public static NetlinkRequest Inet(this NetlinkRequest request, ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return request.Attribute(type, bytes[..written]);
    }

    /// <summary>Reads a 4- or 16-byte address attribute; null for anything else.</summary>
    public static IPAddress? Read(ReadOnlySpan<byte> value) => value.Length is 4 or 16 ? new IPAddress(value) : null;

    public static bool IsMulticast(IPAddress address)
        => address.AddressFamily == AddressFamily.InterNetworkV6 ? address.IsIPv6Multicast : (address.GetAddressBytes()[0] & 0xf0) == 0xe0;

    public static void RequireFamily(IPAddress? address, AddressFamily family, string what)
    {
        if (address is not null && address.AddressFamily != family)
        {
            throw new ArgumentException($"{what} {address} is not of the same family as the rest ({family})", what);
        }
    }

    public static void RequirePrefixLength(int prefixLength, AddressFamily family)
    {
        if (prefixLength < 0 || prefixLength > MaxPrefixLength(family))
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"a prefix length is 0-{MaxPrefixLength(family)} for {family}");
        }
    }
}
