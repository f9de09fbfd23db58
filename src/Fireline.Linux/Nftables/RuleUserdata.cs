using System.Text;

namespace Fireline.Linux.Nftables;

/// <summary>
/// A rule's NFTA_RULE_USERDATA: type-length-value records as libnftnl writes them (one byte each for type and
/// length, no padding). Type 0 is the comment nft shows (NUL-terminated); <see cref="DigestType"/> carries the
/// rule's digest, a type nft does not know and skips when it lists.
/// </summary>
internal static class RuleUserdata
{
    private const byte CommentType = 0; // NFTNL_UDATA_RULE_COMMENT
    private const byte DigestType = 0xf1;
    private const int MaxValue = 255;

    public static byte[] Encode(NftRule rule)
    {
        var data = new List<byte>();
        if (rule.Comment is { } comment)
        {
            Add(data, CommentType, [.. Encoding.UTF8.GetBytes(comment), 0]);
        }

        Add(data, DigestType, Encoding.ASCII.GetBytes(rule.Digest));
        return [.. data];
    }

    /// <summary>The digest a listed rule carries, or null (a rule Fireline did not write).</summary>
    public static string? Digest(ReadOnlySpan<byte> userdata)
    {
        while (userdata.Length >= 2)
        {
            var (type, length) = (userdata[0], userdata[1]);
            if (userdata.Length < 2 + length)
            {
                return null;
            }

            if (type == DigestType)
            {
                return Encoding.ASCII.GetString(userdata.Slice(2, length));
            }

            userdata = userdata[(2 + length)..];
        }

        return null;
    }

    private static void Add(List<byte> data, byte type, byte[] value)
    {
        if (value.Length > MaxValue)
        {
            throw new ArgumentException($"a rule's user data record holds at most {MaxValue} bytes");
        }

        data.Add(type);
        data.Add((byte)value.Length);
        data.AddRange(value);
    }
}
