using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Networks;

/// <summary>Rules for network names and the bridge name derived from one.</summary>
public static class NetworkNames
{
    public const int MaxLength = 32;

    /// <summary>1-32 characters of [A-Za-z0-9_.-], starting with a letter or digit (they name nftables chains).</summary>
    public static bool IsValid(string name)
        => name.Length is > 0 and <= MaxLength && char.IsAsciiLetterOrDigit(name[0]) &&
           name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>
    /// <c>br-NAME</c> when that fits in an interface name; otherwise <c>br-</c> + the name's start + a short
    /// hash of the whole name, so two long names never share a bridge.
    /// </summary>
    public static string DefaultBridge(string name)
    {
        var plain = "br-" + name;
        if (LinkName.IsValid(plain))
        {
            return plain;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return string.Create(CultureInfo.InvariantCulture, $"br-{name[..Math.Min(6, name.Length)]}-{hash[0]:x2}{hash[1]:x2}{hash[2] >> 4:x1}");
    }
}
