using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;

namespace Fireline.Addressing;

/// <summary>
/// An IPv4 subnet in CIDR form (<c>10.100.0.0/16</c>). Addresses are handled as host-order integers so the
/// allocator can walk the whole subnet, not just the last octet.
/// </summary>
[JsonConverter(typeof(TextJsonConverter<Ipv4Network>))]
public readonly record struct Ipv4Network : ITextValue<Ipv4Network>
{
    public Ipv4Network(uint network, int prefixLength)
    {
        if (prefixLength is < 0 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), "an IPv4 prefix length is 0-32");
        }

        PrefixLength = prefixLength;
        Network = network & MaskOf(prefixLength);
    }

    /// <summary>The network address, host byte order.</summary>
    public uint Network { get; }

    public int PrefixLength { get; }

    public uint Mask => MaskOf(PrefixLength);

    public uint Broadcast => Network | ~Mask;

    /// <summary>Number of addresses in the subnet, network and broadcast included.</summary>
    public long Size => 1L << (32 - PrefixLength);

    /// <summary>The gateway: the first address after the network address.</summary>
    public uint Gateway => Network + 1;

    /// <summary>The first address a VM can get (after network and gateway).</summary>
    public uint FirstVmAddress => Network + 2;

    /// <summary>The last address a VM can get (before broadcast).</summary>
    public uint LastVmAddress => Broadcast - 1;

    /// <summary>How many VMs fit: everything but network, gateway and broadcast.</summary>
    public long VmCapacity => Math.Max(0, Size - 3);

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Overlaps(Ipv4Network other)
    {
        var shorter = Math.Min(PrefixLength, other.PrefixLength);
        var mask = MaskOf(shorter);
        return (Network & mask) == (other.Network & mask);
    }

    /// <summary>
    /// Parses <c>a.b.c.d/len</c>, the address in strict dotted decimal (<see cref="Ipv4Address"/>) and the network
    /// address itself (no host bits set). The error says what is wrong without repeating the text, for the caller
    /// to name the field and show the value.
    /// </summary>
    public static bool TryParse(string? text, out Ipv4Network network, out string? error)
    {
        network = default;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!Ipv4Address.TryParse(slash < 0 ? text : text.AsSpan(0, slash), out var value))
        {
            error = "is not an IPv4 network (dotted decimal: four numbers 0-255 without leading zeros, then /len)";
            return false;
        }

        if (slash < 0 || !Ipv4Address.TryParseNumber(text.AsSpan(slash + 1), 32, out var prefix))
        {
            error = "has no prefix length 0-32 (write it as a.b.c.d/len)";
            return false;
        }

        if ((value & ~MaskOf(prefix)) != 0)
        {
            error = $"has host bits set; the network is {new Ipv4Network(value, prefix)}";
            return false;
        }

        network = new Ipv4Network(value, prefix);
        return true;
    }

    public static Ipv4Network Parse(string text)
        => TryParse(text, out var network, out var error) ? network : throw new FormatException($"invalid IPv4 subnet '{text}': it {error}");

    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (address.AddressFamily != AddressFamily.InterNetwork || !address.TryWriteBytes(bytes, out _))
        {
            throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
        }

        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress ToAddress(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes);
    }

    public static string Format(uint address) => string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 0xff}.{(address >> 8) & 0xff}.{address & 0xff}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Format(Network)}/{PrefixLength}");

    private static uint MaskOf(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
}
