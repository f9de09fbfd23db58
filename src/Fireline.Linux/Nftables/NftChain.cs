namespace Fireline.Linux.Nftables;

/// <summary>
/// A chain. A base chain (<see cref="Base"/> set) is attached to a netfilter hook and sees packets; a regular
/// chain is reached only by jumps and gotos.
/// </summary>
public sealed record NftChain(NftTable Table, string Name, NftBaseChain? Base = null)
{
    public override string ToString() => $"{Table} {Name}";
}

/// <summary>
/// Where a base chain hangs: <c>type filter hook forward priority 0; policy accept;</c>. Hook numbers are the
/// same in the inet and bridge families (NF_INET_* and NF_BR_*).
/// </summary>
public sealed record NftBaseChain(NftChainType Type, NftHook Hook, int Priority, NftVerdictCode Policy = NftVerdictCode.Accept)
{
    /// <summary>The priorities nft names: raw, dstnat, filter, srcnat (inet family).</summary>
    public const int RawPriority = -300;
    public const int DestinationNatPriority = -100;
    public const int FilterPriority = 0;
    public const int SourceNatPriority = 100;

    /// <summary>The bridge family's <c>filter</c> priority.</summary>
    public const int BridgeFilterPriority = -200;
}

public enum NftHook : uint
{
    Prerouting = 0,
    Input = 1,
    Forward = 2,
    Output = 3,
    Postrouting = 4,
}

public enum NftChainType
{
    Filter,
    Nat,
}

internal static class NftChainText
{
    public static string Keyword(this NftHook hook) => hook.ToString().ToLowerInvariant();

    public static string Keyword(this NftChainType type) => type.ToString().ToLowerInvariant();
}
