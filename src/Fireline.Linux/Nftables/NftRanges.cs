using System.Net;
using System.Numerics;

namespace Fireline.Linux.Nftables;

/// <summary>
/// The elements an interval set stores for a prefix: its first address, and the address after its last
/// flagged as an interval end (none when the prefix runs to the end of the address space), the encoding nft
/// itself sends.
/// </summary>
public static class NftRanges
{
    public static IReadOnlyList<NftElement> Prefix(IPNetwork prefix)
    {
        var start = prefix.BaseAddress.GetAddressBytes();
        var bits = start.Length * 8;
        var first = new BigInteger(start, isUnsigned: true, isBigEndian: true);
        var next = first + (BigInteger.One << (bits - prefix.PrefixLength));
        if (next >= BigInteger.One << bits)
        {
            return [new NftElement(start)];
        }

        var end = new byte[start.Length];
        next.TryWriteBytes(end.AsSpan(end.Length - next.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return [new NftElement(start), new NftElement(end) { IntervalEnd = true }];
    }
}
