namespace Fireline.Linux.Nftables;

/// <summary>
/// A named set, or a map when <see cref="Data"/> is set (a verdict map with <see cref="VerdictMap"/>).
/// <see cref="Interval"/> sets hold ranges (each element a start and an end, see <see cref="NftElement"/>).
/// </summary>
public sealed record NftSet(NftTable Table, string Name, NftDataType Key)
{
    /// <summary>The values of a map; null for a set (and for a verdict map).</summary>
    public NftDataType? Data { get; init; }

    /// <summary>A map from keys to verdicts (<c>type ifname : verdict</c>).</summary>
    public bool VerdictMap { get; init; }

    public bool Interval { get; init; }

    public override string ToString() => $"{Table} {Name}";
}
