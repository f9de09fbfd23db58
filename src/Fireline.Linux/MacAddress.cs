using System.Globalization;

namespace Fireline.Linux;

/// <summary>A 48-bit Ethernet address, written <c>06:00:0a:64:00:02</c>.</summary>
public readonly record struct MacAddress(ulong Value)
{
    public const int Length = 6;

    public static MacAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a MAC address has {Length} bytes, not {bytes.Length}", nameof(bytes));
        }

        ulong value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return new MacAddress(value);
    }

    public static MacAddress Parse(string text)
        => TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a MAC address (expected six hex pairs like 06:00:0a:64:00:02)");

    public static bool TryParse(string? text, out MacAddress address)
    {
        address = default;
        if (text is null || text.Length != 17)
        {
            return false;
        }

        ulong value = 0;
        for (var i = 0; i < Length; i++)
        {
            if (i > 0 && text[(i * 3) - 1] != ':')
            {
                return false;
            }

            if (!byte.TryParse(text.AsSpan(i * 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }

            value = (value << 8) | b;
        }

        address = new MacAddress(value);
        return true;
    }

    public void WriteTo(Span<byte> destination)
    {
        for (var i = 0; i < Length; i++)
        {
            destination[i] = (byte)(Value >> (8 * (Length - 1 - i)));
        }
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Bit 1 of the first byte: set for addresses not assigned by a vendor (ours).</summary>
    public bool IsLocallyAdministered => ((Value >> 40) & 0x02) != 0;

    public bool IsMulticast => ((Value >> 40) & 0x01) != 0;

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        return string.Create(17, bytes.ToArray(), static (chars, b) =>
        {
            for (var i = 0; i < Length; i++)
            {
                if (i > 0)
                {
                    chars[(i * 3) - 1] = ':';
                }

                b[i].TryFormat(chars[(i * 3)..], out _, "x2", CultureInfo.InvariantCulture);
            }
        });
    }
}
