using System.Buffers;

namespace Fireline.Addressing;

/// <summary>
/// The one alphabet for names a caller gives Fireline (VM ids, network, bridge and policy names): letters, digits,
/// '.', '_' and '-', starting with a letter or digit. Every place such a name reaches takes these characters as
/// they are, with nothing to quote or escape: interface and namespace names (no '/', ':', white space, and never
/// "." or ".."), file names, nftables names and comments, the guest's kernel command line, YAML plain scalars,
/// JSON, log lines and terminals. With nothing to quote, no quoting can be got wrong, and a name can never start
/// like an option ('-x'). Lengths are each name's own (see its type); none is over 64 characters.
/// </summary>
public static class SafeName
{
    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public static bool IsValid(string? name, int maxLength)
        => name is { Length: > 0 } && name.Length <= maxLength && char.IsAsciiLetterOrDigit(name[0]) &&
           !name.AsSpan().ContainsAnyExcept(Alphabet);

    /// <summary>The rule in words, for error messages.</summary>
    public static string Rule(int maxLength) => $"1-{maxLength} characters of [A-Za-z0-9_.-], starting with a letter or digit";
}
