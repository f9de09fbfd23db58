using System.Globalization;

namespace Fireline.Addressing;

/// <summary>An IPv6 network in CIDR form (<c>2001:db8::/32</c>), any prefix length, without host bits.</summary>
public readonly record struct Ipv6Network
{
    public Ipv6Network(UInt128 network, int length)
    {
        if (length is < 0 or > 128)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "an IPv6 prefix length is 0-128");
        }

        Length = length;
        Network = network & MaskOf(length);
    }

    public UInt128 Network { get; }

    public int Length { get; }

    /// <summary>The network's last address.</summary>
    public UInt128 Last => Network | ~MaskOf(Length);

    public bool Overlaps(Ipv6Network other)
    {
        var mask = MaskOf(Math.Min(Length, other.Length));
        return (Network & mask) == (other.Network & mask);
    }

    /// <summary>Parses <c>address/length</c> (see <see cref="Ipv6Address"/> for the address forms); host bits are refused.</summary>
    public static bool TryParse(string? text, out Ipv6Network network, out string? error)
    {
        network = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0 || !Ipv6Address.TryParse(text.AsSpan(0, slash), out var address))
        {
            error = "is not an IPv6 network (hex groups as in fd00:101::/64; no zone id, no dotted IPv4 part)";
            return false;
        }

        if (!Ipv4Address.TryParseNumber(text.AsSpan(slash + 1), 128, out var length))
        {
            error = "has no prefix length 0-128";
            return false;
        }

        if ((address & ~MaskOf(length)) != UInt128.Zero)
        {
            error = $"has host bits set; the network is {new Ipv6Network(address, length)}";
            return false;
        }

        network = new Ipv6Network(address, length);
        error = null;
        return true;
    }

    public static Ipv6Network Parse(string text)
        => TryParse(text, out var network, out var error) ? network : throw new FormatException($"'{text}' {error}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Ipv6Address.Format(Network)}/{Length}");

    private static UInt128 MaskOf(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);
}
