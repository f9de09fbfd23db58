using System.Globalization;

namespace Fireline.Cli.Commands;

/// <summary>
/// Parses a rate in bytes per second: a whole number, optionally with a decimal (k, M, G: x1000) or binary
/// (Ki, Mi, Gi: x1024) suffix and an optional "B/s": <c>125000</c>, <c>10M</c>, <c>1GiB/s</c>.
/// </summary>
internal static class ByteRate
{
    public static bool TryParse(string text, out long bytesPerSecond, out string? error)
    {
        bytesPerSecond = 0;
        error = null;
        var value = text.Trim();
        if (value.EndsWith("B/s", StringComparison.Ordinal))
        {
            value = value[..^3];
        }

        long multiplier = 1;
        foreach (var (suffix, factor) in Suffixes)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                multiplier = factor;
                value = value[..^suffix.Length];
                break;
            }
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            error = $"'{text}' is not a positive rate in bytes per second (e.g. 1250000, 10M, 1GiB/s)";
            return false;
        }

        try
        {
            bytesPerSecond = checked(number * multiplier);
            return true;
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large";
            return false;
        }
    }

    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("Ki", 1024L), ("Mi", 1024L * 1024), ("Gi", 1024L * 1024 * 1024),
        ("k", 1000L), ("K", 1000L), ("M", 1000L * 1000), ("G", 1000L * 1000 * 1000),
    ];
}
