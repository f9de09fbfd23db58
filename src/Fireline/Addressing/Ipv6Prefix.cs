using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Serialization;
using Fireline.Linux;

namespace Fireline.Addressing;

/// <summary>
/// A network's IPv6 prefix for dual stack (<c>fd00:101::/64</c>). A VM's IPv6 address is the prefix with the
/// VM's IPv4 address in its last 32 bits (<c>fd00:101::a65:2</c> for 10.101.0.2): unique because the IPv4 lease
/// is, and derivable by the guest. The gateway is the prefix's <c>::1</c>, which no IPv4 address maps to.
/// </summary>
[JsonConverter(typeof(TextJsonConverter<Ipv6Prefix>))]
public readonly record struct Ipv6Prefix : ITextValue<Ipv6Prefix>
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

    /// <summary>The prefix's first address, the network itself.</summary>
    public IPAddress Address => ToAddress(Network);

    public IPAddress Gateway => ToAddress(Network | 1);

    public IPAddress VmAddress(uint ipv4) => ToAddress(Network | ipv4);

    /// <summary>The prefix as a plain IPv6 network.</summary>
    public Ipv6Network AsNetwork => new(Network, Length);

    public bool Overlaps(Ipv6Prefix other) => AsNetwork.Overlaps(other.AsNetwork);

    /// <summary>
    /// Parses a prefix of /48 to /96 (room for the 32 bits of an IPv4 address) in the text <see cref="Ipv6Network"/>
    /// reads. The error says what is wrong without repeating the text.
    /// </summary>
    public static bool TryParse(string? text, out Ipv6Prefix prefix, out string? error)
    {
        prefix = default;
        if (!Ipv6Network.TryParse(text, out var network, out error))
        {
            return false;
        }

        if (network.Length is < MinLength or > MaxLength)
        {
            error = $"has prefix length {network.Length}; it must be {MinLength}-{MaxLength}, leaving room for a VM's IPv4 address in the last 32 bits";
            return false;
        }

        prefix = new Ipv6Prefix(network.Network, network.Length);
        return true;
    }

    public static Ipv6Prefix Parse(string text)
        => TryParse(text, out var prefix, out var error) ? prefix : throw new FormatException($"invalid IPv6 prefix '{text}': it {error}");

    /// <summary>The link-local address a guest's kernel forms from its MAC (modified EUI-64, RFC 4291).</summary>
    public static IPAddress LinkLocal(MacAddress mac)
    {
        var m = mac.ToBytes();
        var interfaceId = ((ulong)(m[0] ^ 0x02) << 56) | ((ulong)m[1] << 48) | ((ulong)m[2] << 40) | (0xfffeUL << 24) |
                          ((ulong)m[3] << 16) | ((ulong)m[4] << 8) | m[5];
        return ToAddress(((UInt128)0xfe80UL << 112) | interfaceId);
    }

    public override string ToString() => AsNetwork.ToString();

    private static IPAddress ToAddress(UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
