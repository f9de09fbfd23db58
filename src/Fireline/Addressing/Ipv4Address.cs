namespace Fireline.Addressing;

/// <summary>
/// IPv4 addresses as Fireline reads them: strict dotted decimal, four decimal numbers 0-255 without leading zeros.
/// The forms other parsers also take are refused, because tools disagree on them: <c>010.1.1.1</c> is 8.1.1.1 to
/// inet_aton (octal) and 10.1.1.1 to others, <c>0x0a.1.1.1</c> is hex, <c>10.1</c> and <c>167837953</c> are short
/// forms. What Fireline accepts reads the same to every place it reaches (nftables, the guest's <c>ip=</c> kernel
/// argument, a guest's init), and its text is already the canonical one.
/// </summary>
public static class Ipv4Address
{
    /// <summary>Parses strict dotted decimal into a host-order integer.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        var position = 0;
        for (var octet = 0; octet < 4; octet++)
        {
            if (octet > 0)
            {
                if (position >= text.Length || text[position] != '.')
                {
                    return false;
                }

                position++;
            }

            var start = position;
            var value = 0u;
            while (position < text.Length && position - start < 3 && char.IsAsciiDigit(text[position]))
            {
                value = (value * 10) + (uint)(text[position] - '0');
                position++;
            }

            var digits = position - start;
            if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
            {
                return false;
            }

            address = (address << 8) | value;
        }

        return position == text.Length;
    }

    /// <summary>Parses a decimal number 0-<paramref name="max"/> written without sign, spaces or leading zeros (a prefix length).</summary>
    internal static bool TryParseNumber(ReadOnlySpan<char> text, int max, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 3 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= max;
    }
}
