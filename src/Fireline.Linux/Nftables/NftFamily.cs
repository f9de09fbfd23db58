namespace Fireline.Linux.Nftables;

/// <summary>nf_tables' table families: the NFPROTO_* numbers (linux/netfilter.h).</summary>
public enum NftFamily : byte
{
    Inet = 1,
    Ipv4 = 2,
    Arp = 3,
    Netdev = 5,
    Bridge = 7,
    Ipv6 = 10,
}

internal static class NftFamilyText
{
    /// <summary>The family as nft writes it: <c>inet</c>, <c>ip</c>, <c>bridge</c>, ...</summary>
    public static string Keyword(this NftFamily family) => family switch
    {
        NftFamily.Inet => "inet",
        NftFamily.Ipv4 => "ip",
        NftFamily.Arp => "arp",
        NftFamily.Netdev => "netdev",
        NftFamily.Bridge => "bridge",
        NftFamily.Ipv6 => "ip6",
        _ => family.ToString(),
    };
}
