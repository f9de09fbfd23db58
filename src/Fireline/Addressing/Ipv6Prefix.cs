using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Fireline.Linux;

namespace Fireline.Addressing;

/// <summary>
/// A network's IPv6 prefix for dual stack (<c>fd00:101::/64</c>). A VM's IPv6 address is the prefix with the
/// VM's IPv4 address in its last 32 bits (<c>fd00:101::a65:2</c> for 10.101.0.2): unique because the IPv4 lease
/// is, and derivable by the guest. The gateway is the prefix's <c>::1</c>, which no IPv4 address maps to.
/// </summary>
public readonly record struct Ipv6Prefix
{
    public const int MinLength = 48;
    public const int MaxLength = 96;

    private Ipv6Prefix(UInt128 network, int length)
    {
        Network = network;
        Length = length;
    }

    public UInt128 Network { get; }

    public int Length { get; }

    public IPAddress Gateway => ToAddress(Network | 1);

    public IPAddress VmAddress(uint ipv4) => ToAddress(Network | ipv4);

    public bool Overlaps(Ipv6Prefix other)
    {
        var shorter = Math.Min(Length, other.Length);
        var mask = shorter == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - shorter);
        return (Network & mask) == (other.Network & mask);
    }

    /// <summary>Parses a prefix of /48 to /96 (room for the 32 bits of an IPv4 address), without host bits.</summary>
    public static bool TryParse(string? text, out Ipv6Prefix prefix, out string? error)
    {
        prefix = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address) ||
            address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            error = $"'{text}' is not an IPv6 prefix (write it as fd00:101::/64)";
            return false;
        }

        if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length is < MinLength or > MaxLength)
        {
            error = $"'{text}': the prefix length must be {MinLength}-{MaxLength}, leaving room for a VM's IPv4 address in the last 32 bits";
            return false;
        }

        var value = ToUInt128(address);
        if ((value & ~(UInt128.MaxValue << (128 - length))) != UInt128.Zero)
        {
            error = $"'{text}' has host bits set";
            return false;
        }

        prefix = new Ipv6Prefix(value, length);
        error = null;
        return true;
    }

    public static Ipv6Prefix Parse(string text)
        => TryParse(text, out var prefix, out var error) ? prefix : throw new FormatException(error);

    /// <summary>The link-local address a guest's kernel forms from its MAC (modified EUI-64, RFC 4291).</summary>
    public static IPAddress LinkLocal(MacAddress mac)
    {
        var m = mac.ToBytes();
        var interfaceId = ((ulong)(m[0] ^ 0x02) << 56) | ((ulong)m[1] << 48) | ((ulong)m[2] << 40) | (0xfffeUL << 24) |
                          ((ulong)m[3] << 16) | ((ulong)m[4] << 8) | m[5];
        return ToAddress(((UInt128)0xfe80UL << 112) | interfaceId);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ToAddress(Network)}/{Length}");

    private static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static IPAddress ToAddress(UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
