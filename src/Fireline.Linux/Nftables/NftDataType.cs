namespace Fireline.Linux.Nftables;

/// <summary>
/// The type of a set's keys or a map's values: how many bytes the kernel compares and the number nft uses to
/// print them (its datatype ids, src/datatype.h; a concatenation's id packs its parts' ids 6 bits each, as
/// nft's <c>concat_subtype_add</c> does). The kernel stores the id without looking at it; only listings use it.
/// </summary>
public sealed record NftDataType(uint Id, int Length, IReadOnlyList<int> FieldLengths)
{
    /// <summary>
    /// The value is in host byte order (an interface name, a protocol number): nft must be told, in the set's
    /// user data, to print such a set's elements right.
    /// </summary>
    public bool HostOrder { get; private init; }

    private const int TypeBits = 6;

    public static NftDataType Ipv4Address { get; } = Single(7, 4);

    public static NftDataType Ipv6Address { get; } = Single(8, 16);

    public static NftDataType EtherAddress { get; } = Single(9, 6);

    public static NftDataType InetProtocol { get; } = Single(12, 1) with { HostOrder = true };

    public static NftDataType InetService { get; } = Single(13, 2);

    /// <summary>Raw bytes of a header (nft's <c>integer</c>, as <c>@th,96,32</c> loads them), in network order.</summary>
    public static NftDataType Integer(int length) => Single(4, length);

    /// <summary>An interface name: IFNAMSIZ bytes, NUL-padded.</summary>
    public static NftDataType InterfaceName { get; } = Single(41, 16) with { HostOrder = true };

    /// <summary>
    /// Parts side by side, each in its own 32-bit registers (a 6-byte MAC takes 8 bytes), as a lookup's source
    /// registers hold them.
    /// </summary>
    public static NftDataType Concat(params NftDataType[] parts)
        => new(parts.Aggregate(0u, (id, part) => (id << TypeBits) | part.Id), parts.Sum(p => Registers.Padded(p.Length)), [.. parts.Select(p => p.Length)]);

    public bool IsConcat => FieldLengths.Count > 1;

    private static NftDataType Single(uint id, int length) => new(id, length, [length]);
}
