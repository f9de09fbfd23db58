using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Fireline.Linux.Nftables;

/// <summary>Values as the kernel compares them: set keys, map values, constants of comparisons.</summary>
public static class NftData
{
    private const int InterfaceNameSize = 16; // IFNAMSIZ

    /// <summary>An interface name as <c>meta iifname</c> loads it: its bytes, NUL-padded to 16.</summary>
    public static byte[] InterfaceName(string name)
    {
        var bytes = new byte[InterfaceNameSize];
        if (name.Length == 0 || Encoding.ASCII.GetByteCount(name) >= InterfaceNameSize || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not an interface name", nameof(name));
        }

        Encoding.ASCII.GetBytes(name, bytes);
        return bytes;
    }

    public static byte[] Address(IPAddress address) => address.GetAddressBytes();

    public static byte[] Port(ushort port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
        return bytes;
    }

    /// <summary>
    /// Parts side by side as a concatenation's registers hold them: each padded with zeros to a multiple of
    /// 4 bytes (a MAC takes 8).
    /// </summary>
    public static byte[] Concat(params byte[][] parts)
    {
        var bytes = new byte[parts.Sum(p => Registers.Padded(p.Length))];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(bytes, offset);
            offset += Registers.Padded(part.Length);
        }

        return bytes;
    }

    /// <summary>The mask of a prefix: <paramref name="prefixLength"/> one bits, then zeros, over <paramref name="length"/> bytes.</summary>
    public static byte[] PrefixMask(int length, int prefixLength)
    {
        var mask = new byte[length];
        for (var bit = 0; bit < prefixLength; bit++)
        {
            mask[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return mask;
    }
}
