namespace Fireline.Linux.Nftables;

/// <summary>
/// One element of a set or map: its key bytes (register form: each concatenated part padded to 32 bits), and
/// for a map its value or verdict. An interval set stores a range as two elements: its first key, and the key
/// after its last flagged as an interval end (<see cref="NftRanges"/> makes them).
/// </summary>
public sealed record NftElement(byte[] Key)
{
    public byte[]? Data { get; init; }

    public NftVerdict? Verdict { get; init; }

    public bool IntervalEnd { get; init; }
}
