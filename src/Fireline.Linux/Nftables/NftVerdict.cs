namespace Fireline.Linux.Nftables;

/// <summary>The kernel's verdict codes (NF_DROP, NF_ACCEPT and enum nft_verdicts).</summary>
public enum NftVerdictCode
{
    Drop = 0,
    Accept = 1,
    Continue = -1,
    Jump = -3,
    Goto = -4,
    Return = -5,
}

/// <summary>A verdict: accept, drop, return, or a jump or goto to a chain of the same table.</summary>
public readonly record struct NftVerdict(NftVerdictCode Code, string? Chain = null)
{
    public static NftVerdict Accept => new(NftVerdictCode.Accept);

    public static NftVerdict Drop => new(NftVerdictCode.Drop);

    public static NftVerdict Return => new(NftVerdictCode.Return);

    public static NftVerdict Jump(string chain) => new(NftVerdictCode.Jump, chain);

    public static NftVerdict Goto(string chain) => new(NftVerdictCode.Goto, chain);

    public override string ToString() => Code switch
    {
        NftVerdictCode.Accept => "accept",
        NftVerdictCode.Drop => "drop",
        NftVerdictCode.Return => "return",
        NftVerdictCode.Continue => "continue",
        NftVerdictCode.Jump => $"jump {Chain}",
        NftVerdictCode.Goto => $"goto {Chain}",
        _ => Code.ToString(),
    };

    /// <summary>NFTA_DATA_VERDICT's content: the code and, for a jump or goto, the chain.</summary>
    internal void Encode(Netlink.NetlinkRequest request)
    {
        var verdict = request.BeginNested(NfTablesWire.DataVerdict, markNested: true);
        request.Be32(NfTablesWire.VerdictCode, unchecked((uint)(int)Code));
        if (Chain is not null)
        {
            request.String(NfTablesWire.VerdictChain, Chain);
        }

        request.EndNested(verdict);
    }
}
