using System.Net;
using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>An address within (or, negated, outside) a prefix: <c>ip saddr 10.1.0.0/16</c>, <c>ip6 daddr != fd00::/64</c>.</summary>
public sealed record AddressMatch(AddressField Field, IPNetwork Prefix, NftFamily Table, bool Negate = false) : NftClause
{
    internal override void Emit(List<NftExpression> expressions)
    {
        if (Prefix.BaseAddress.AddressFamily != Field.Family)
        {
            throw new ArgumentException($"{Prefix} is not an address of {Field}", nameof(Prefix));
        }

        Field.EmitDependency(expressions, Table);
        expressions.Add(Field.Load(NftRegister.R0));
        if (Prefix.PrefixLength < Field.Length * 8)
        {
            expressions.Add(new Bitwise(NftRegister.R0, NftRegister.R0, NftData.PrefixMask(Field.Length, Prefix.PrefixLength)));
        }

        expressions.Add(new Cmp(Negate ? CmpOp.NotEqual : CmpOp.Equal, NftRegister.R0, Prefix.BaseAddress.GetAddressBytes()));
    }

    public override string ToString()
        => $"{Field} {(Negate ? "!= " : "")}{(Prefix.PrefixLength == Field.Length * 8 ? Prefix.BaseAddress.ToString() : Prefix.ToString())}";
}
