using System.Text;

namespace Fireline.Linux.Nftables;

/// <summary>
/// The user data of tables and rules: type-length-value records as libnftnl writes them (one byte each for type
/// and length, no padding). Type 0 is the comment nft shows (NUL-terminated) for both; on rules,
/// <see cref="DigestType"/> carries the rule's digest, a type nft does not know and skips when it lists.
/// </summary>
internal static class Userdata
{
    private const byte CommentType = 0; // NFTNL_UDATA_TABLE_COMMENT, NFTNL_UDATA_RULE_COMMENT
    private const byte DigestType = 0xf1;
    private const int MaxValue = 255;

    public static byte[] Comment(string comment)
    {
        var data = new List<byte>();
        Add(data, CommentType, [.. Encoding.UTF8.GetBytes(comment), 0]);
        return [.. data];
    }

    public static byte[] Rule(NftRule rule)
    {
        var data = new List<byte>();
        if (rule.Comment is { } comment)
        {
            Add(data, CommentType, [.. Encoding.UTF8.GetBytes(comment), 0]);
        }

        Add(data, DigestType, Encoding.UTF8.GetBytes(rule.Digest));
        return [.. data];
    }

    /// <summary>The comment the user data carries, or null.</summary>
    public static string? ReadComment(ReadOnlySpan<byte> userdata)
        => Find(userdata, CommentType) is { } value ? Encoding.UTF8.GetString(value.TrimEnd((byte)0)) : null;

    /// <summary>The digest a listed rule carries, or null (a rule Fireline did not write).</summary>
    public static string? Digest(ReadOnlySpan<byte> userdata)
        => Find(userdata, DigestType) is { } value ? Encoding.UTF8.GetString(value) : null;

    private static byte[]? Find(ReadOnlySpan<byte> userdata, byte wanted)
    {
        while (userdata.Length >= 2)
        {
            var (type, length) = (userdata[0], userdata[1]);
            if (userdata.Length < 2 + length)
            {
                return null;
            }

            if (type == wanted)
            {
                return userdata.Slice(2, length).ToArray();
            }

            userdata = userdata[(2 + length)..];
        }

        return null;
    }

    private static void Add(List<byte> data, byte type, byte[] value)
    {
        if (value.Length > MaxValue)
        {
            throw new ArgumentException($"a user data record holds at most {MaxValue} bytes");
        }

        data.Add(type);
        data.Add((byte)value.Length);
        data.AddRange(value);
    }
}
