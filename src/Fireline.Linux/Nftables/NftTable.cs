namespace Fireline.Linux.Nftables;

/// <summary>A table: a family and a name (<c>table inet fireline</c>).</summary>
public sealed record NftTable(NftFamily Family, string Name)
{
    public override string ToString() => $"{Family.Keyword()} {Name}";
}
