namespace Fireline.Addressing;

/// <summary>
/// Overlapping address ranges among many, in O(n log n) rather than comparing every pair: sorted by first address,
/// a range overlaps an earlier one exactly when it starts at or before the furthest end seen so far, and then it
/// overlaps the range that reaches that end.
/// </summary>
public static class RangeOverlap
{
    /// <summary>
    /// Pairs of overlapping items: every item that overlaps one sorted before it (by first address, then by the order
    /// given) comes once, as the later of a pair.
    /// </summary>
    public static IEnumerable<(T Earlier, T Later)> Find<T>(IEnumerable<T> items, Func<T, (UInt128 First, UInt128 Last)> range)
    {
        var sorted = items.Select(item => (Item: item, Range: range(item))).OrderBy(i => i.Range.First).ToList();
        if (sorted.Count == 0)
        {
            yield break;
        }

        var reach = sorted[0];
        foreach (var next in sorted.Skip(1))
        {
            if (next.Range.First <= reach.Range.Last)
            {
                yield return (reach.Item, next.Item);
            }

            if (next.Range.Last > reach.Range.Last)
            {
                reach = next;
            }
        }
    }
}
