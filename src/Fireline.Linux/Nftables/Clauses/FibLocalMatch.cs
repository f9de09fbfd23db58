using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>The destination is an address of the host itself: <c>fib daddr type local</c>.</summary>
public sealed record FibLocalMatch : NftClause
{
    internal override void Emit(List<NftExpression> expressions)
    {
        expressions.Add(new FibDestinationType(NftRegister.R0));
        expressions.Add(new Cmp(CmpOp.Equal, NftRegister.R0, BitConverter.GetBytes(FibDestinationType.Local)));
    }

    public override string ToString() => "fib daddr type local";
}
