using System.Text;
using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>
/// The interface a packet came in on or leaves on, by name: <c>iifname "br-a"</c>, <c>oifname != "uplink0"</c>;
/// a name ending in <c>*</c> matches every name it begins (<c>iifname "fl*"</c>). Bridged packets that traverse
/// the inet family's hooks (br_netfilter) carry the bridge's name, not the port's.
/// </summary>
public sealed record InterfaceMatch(PacketDirection Direction, string Name, bool Negate = false) : NftClause
{
    internal override void Emit(List<NftExpression> expressions)
    {
        expressions.Add(new Meta(Direction.NameKey(), NftRegister.R0));
        expressions.Add(new Cmp(Negate ? CmpOp.NotEqual : CmpOp.Equal, NftRegister.R0, Bytes(Name)));
    }

    /// <summary>A whole name is compared with its padding (16 bytes), a wildcard only up to its star.</summary>
    private static byte[] Bytes(string name)
        => name.EndsWith('*') ? Encoding.ASCII.GetBytes(name[..^1]) : NftData.InterfaceName(name);

    public override string ToString() => $"{Direction.NameKeyword()} {(Negate ? "!= " : "")}\"{Name}\"";
}

/// <summary>Which interface of a packet a match looks at.</summary>
public enum PacketDirection
{
    /// <summary>The interface it came in on (<c>iifname</c>).</summary>
    In,

    /// <summary>The interface it leaves on (<c>oifname</c>).</summary>
    Out,
}

internal static class PacketDirectionKeys
{
    public static MetaKey NameKey(this PacketDirection direction)
        => direction == PacketDirection.In ? MetaKey.InputInterfaceName : MetaKey.OutputInterfaceName;

    public static string NameKeyword(this PacketDirection direction) => direction == PacketDirection.In ? "iifname" : "oifname";
}
