namespace Fireline.Tuning;

/// <summary>
/// One entry of the tuning profile. Numeric values are minimums, compared field by field (tcp_rmem has three):
/// a host already tuned higher keeps its values. <see cref="Bits"/> entries are flags that must be set, others
/// kept.
/// </summary>
public sealed record SysctlTarget(string Key, string Value, SysctlScope Scope, string Reason)
{
    /// <summary>The value is a bit mask whose bits must be on (tcp_fastopen), not a minimum.</summary>
    public bool Bits { get; init; }

    /// <summary>What to write so the key meets the profile without lowering anything; null when it already does.</summary>
    public string? Wanted(string current)
    {
        var have = Fields(current);
        var want = Fields(Value);
        if (have.Length != want.Length)
        {
            return Value;
        }

        var merged = have.Zip(want, (h, w) => Bits ? h | w : Math.Max(h, w)).ToArray();
        return merged.SequenceEqual(have) ? null : string.Join(' ', merged);
    }

    private static long[] Fields(string value)
        => [.. value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(f => long.TryParse(f, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1)];
}
