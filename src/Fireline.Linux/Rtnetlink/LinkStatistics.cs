using System.Buffers.Binary;

namespace Fireline.Linux.Rtnetlink;

/// <summary>The 64-bit counters of struct rtnl_link_stats64 that operators watch.</summary>
public sealed record LinkStatistics(
    ulong RxPackets,
    ulong TxPackets,
    ulong RxBytes,
    ulong TxBytes,
    ulong RxErrors,
    ulong TxErrors,
    ulong RxDropped,
    ulong TxDropped)
{
    internal static LinkStatistics Parse(ReadOnlySpan<byte> value)
    {
        Span<ulong> fields = stackalloc ulong[8];
        for (var i = 0; i < fields.Length && (i + 1) * 8 <= value.Length; i++)
        {
            fields[i] = BinaryPrimitives.ReadUInt64LittleEndian(value[(i * 8)..]);
        }

        return new LinkStatistics(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], fields[7]);
    }
}
