using System.Globalization;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Vms;

/// <summary>
/// The counters a warm-pool slot's TAP had when its scrub took it back from a deleted VM (the TAP is kept, and the
/// kernel has no way to zero a device's counters). They ride on the TAP itself, after its mark in its alias
/// (<c>fireline:ID:pool:base=RXP/TXP/RXB/TXB/RXE/TXE/RXD/TXD</c>), so they go wherever the TAP goes and vanish with it:
/// a TAP made anew (cold, or rebuilt by repair) has none. <c>stats</c> and the metrics report counters since then.
/// </summary>
public static class CounterBaseline
{
    private const string Key = ":base=";

    /// <summary>The alias for a slot TAP marked <paramref name="slotMark"/> whose counters are <paramref name="now"/>.</summary>
    public static string Mark(string slotMark, LinkStatistics now) => string.Create(CultureInfo.InvariantCulture,
        $"{slotMark}{Key}{now.RxPackets}/{now.TxPackets}/{now.RxBytes}/{now.TxBytes}/{now.RxErrors}/{now.TxErrors}/{now.RxDropped}/{now.TxDropped}");

    /// <summary>
    /// <paramref name="counters"/> less the baseline in <paramref name="alias"/> (none: as they are). Only Fireline
    /// writes a TAP's alias (it takes CAP_NET_ADMIN in the VM's namespace); one that does not parse counts as none.
    /// </summary>
    public static LinkStatistics Since(LinkStatistics counters, string? alias)
    {
        var at = alias?.LastIndexOf(Key, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return counters;
        }

        Span<ulong> base_ = stackalloc ulong[8];
        var text = alias.AsSpan(at + Key.Length);
        var fields = 0;
        foreach (var range in text.Split('/'))
        {
            if (fields == base_.Length || !ulong.TryParse(text[range], NumberStyles.None, CultureInfo.InvariantCulture, out base_[fields]))
            {
                return counters;
            }

            fields++;
        }

        if (fields != base_.Length)
        {
            return counters;
        }

        // The same device's 64-bit counters never go back; a clamp rather than a wrap if one ever did.
        static ulong Less(ulong now, ulong then) => now >= then ? now - then : 0;
        return new LinkStatistics(
            Less(counters.RxPackets, base_[0]), Less(counters.TxPackets, base_[1]), Less(counters.RxBytes, base_[2]), Less(counters.TxBytes, base_[3]),
            Less(counters.RxErrors, base_[4]), Less(counters.TxErrors, base_[5]), Less(counters.RxDropped, base_[6]), Less(counters.TxDropped, base_[7]));
    }
}
