namespace Fireline.Addressing;

/// <summary>
/// Address ranges no network of Fireline's may use, and the addresses that are no unicast host. A subnet there
/// breaks something of the host's own: 127.0.0.0/8 its loopback TCP, 169.254.0.0/16 link-local services (a cloud
/// host's metadata and credentials at 169.254.169.254), 0.0.0.0/8 means "this host", 224.0.0.0/4 is multicast,
/// 240.0.0.0/4 is reserved and holds the limited broadcast. For IPv6: ::/8 (unspecified, loopback, IPv4-mapped
/// and -compatible), fe80::/10 (every link's own link-local addresses), ff00::/8 (multicast).
/// </summary>
public static class ReservedRanges
{
    private static readonly (Ipv4Network Range, string Name)[] Ipv4 =
    [
        (Ipv4Network.Parse("0.0.0.0/8"), "'this network'"),
        (Ipv4Network.Parse("127.0.0.0/8"), "loopback"),
        (Ipv4Network.Parse("169.254.0.0/16"), "link-local"),
        (Ipv4Network.Parse("224.0.0.0/4"), "multicast"),
        (Ipv4Network.Parse("240.0.0.0/4"), "reserved, with the broadcast address"),
    ];

    private static readonly (Ipv6Network Range, string Name)[] Ipv6 =
    [
        (Ipv6Network.Parse("::/8"), "unspecified, loopback and IPv4-mapped"),
        (Ipv6Network.Parse("fe80::/10"), "link-local"),
        (Ipv6Network.Parse("ff00::/8"), "multicast"),
    ];

    /// <summary>The reserved range the subnet overlaps, as "127.0.0.0/8 (loopback)"; null when it overlaps none.</summary>
    public static string? Overlapped(Ipv4Network subnet)
        => Ipv4.Where(r => r.Range.Overlaps(subnet)).Select(r => $"{r.Range} ({r.Name})").FirstOrDefault();

    /// <summary>The reserved range the prefix overlaps; null when it overlaps none.</summary>
    public static string? Overlapped(Ipv6Network prefix)
        => Ipv6.Where(r => r.Range.Overlaps(prefix)).Select(r => $"{r.Range} ({r.Name})").FirstOrDefault();

    /// <summary>
    /// Whether an address can be one host's: not in 0.0.0.0/8 ("this network"), 224.0.0.0/4 (multicast) or
    /// 240.0.0.0/4 (reserved, with 255.255.255.255). Loopback and link-local addresses are unicast: a guest may run
    /// its own resolver on 127.0.0.53, and a cloud's DNS may sit at 169.254.169.253.
    /// </summary>
    public static bool IsUnicast(uint address) => address >> 24 != 0 && address >> 28 is not (0xe or 0xf);
}
