using System.Globalization;
using System.Text;

namespace Fireline.Addressing;

/// <summary>
/// IPv6 addresses as Fireline reads and writes them. Read: RFC 4291's text forms 1 and 2 (eight groups of one to
/// four hex digits, either case, one <c>::</c> for a run of zero groups). Refused: zone ids (<c>%eth0</c>, which
/// name a host's link and mean nothing in a network's configuration) and form 3, the embedded dotted IPv4 tail
/// (<c>::ffff:10.1.2.3</c>), whose meaning depends on the reader (mapped, compatible, NAT64) and whose IPv4 part
/// would bring back every ambiguity <see cref="Ipv4Address"/> refuses. Written: RFC 5952's canonical text
/// (lower case, no leading zeros, the longest run of two or more zero groups as <c>::</c>), never a dotted tail,
/// so what Fireline writes it can read back.
/// </summary>
public static class Ipv6Address
{
    /// <summary>Parses an address into its 128 bits (network order as an integer).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out UInt128 address)
    {
        address = UInt128.Zero;
        Span<ushort> head = stackalloc ushort[8];
        Span<ushort> tail = stackalloc ushort[8];
        var gap = text.IndexOf("::");
        int headCount, tailCount;
        if (gap < 0)
        {
            if (!TryParseGroups(text, head, out headCount) || headCount != 8)
            {
                return false;
            }

            tailCount = 0;
        }
        else if (!TryParseGroups(text[..gap], head, out headCount) || !TryParseGroups(text[(gap + 2)..], tail, out tailCount) ||
                 headCount + tailCount > 7)
        {
            // RFC 4291: "::" stands for one or more groups of zeros, so at most seven groups are written around it.
            return false;
        }

        for (var i = 0; i < headCount; i++)
        {
            address |= (UInt128)head[i] << (16 * (7 - i));
        }

        for (var i = 0; i < tailCount; i++)
        {
            address |= (UInt128)tail[i] << (16 * (tailCount - 1 - i));
        }

        return true;
    }

    /// <summary>RFC 5952's canonical text.</summary>
    public static string Format(UInt128 address)
    {
        Span<ushort> groups = stackalloc ushort[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = (ushort)(address >> (16 * (7 - i)));
        }

        // The longest run of zero groups (the first of equal runs), only when it spans two groups or more.
        var (bestStart, bestLength) = (-1, 1);
        for (var i = 0; i < 8;)
        {
            var length = 0;
            while (i + length < 8 && groups[i + length] == 0)
            {
                length++;
            }

            if (length > bestLength)
            {
                (bestStart, bestLength) = (i, length);
            }

            i += Math.Max(length, 1);
        }

        var text = new StringBuilder(39);
        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.Append("::");
                i += bestLength - 1;
                continue;
            }

            if (text.Length > 0 && text[^1] != ':')
            {
                text.Append(':');
            }

            text.Append(groups[i].ToString("x", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Colon-separated groups of one to four hex digits; an empty text is no group at all.</summary>
    private static bool TryParseGroups(ReadOnlySpan<char> text, Span<ushort> groups, out int count)
    {
        count = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        foreach (var range in text.Split(':'))
        {
            var group = text[range];
            if (count == groups.Length || group.Length is 0 or > 4 || group.ContainsAnyExcept("0123456789abcdefABCDEF") ||
                !ushort.TryParse(group, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out groups[count]))
            {
                return false;
            }

            count++;
        }

        return true;
    }
}
