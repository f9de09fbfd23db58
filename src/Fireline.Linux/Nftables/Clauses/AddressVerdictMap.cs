using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>
/// The verdict a verdict map holds for the packet's address, if it holds one: <c>ip saddr vmap @vm_out4</c>.
/// An address the map lacks goes on to the next rule; a packet of the other family does too.
/// </summary>
public sealed record AddressVerdictMap(AddressField Field, string Map, NftFamily Table) : NftClause
{
    internal override void Emit(List<NftExpression> expressions)
    {
        Field.EmitDependency(expressions, Table);
        expressions.Add(Field.Load(NftRegister.R0));
        expressions.Add(new Lookup(Map, NftRegister.R0, NftRegister.Verdict));
    }

    public override string ToString() => $"{Field} vmap @{Map}";
}
