using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>
/// Connection-tracking bits, any of which must be set: <c>ct state established,related</c>, <c>ct status
/// dnat</c>. The kernel keeps both as 32-bit values in host byte order.
/// </summary>
public sealed record CtMatch(CtKey Key, uint Bits) : NftClause
{
    public const uint Invalid = 1;
    public const uint Established = 2;
    public const uint Related = 4;
    public const uint New = 8;

    /// <summary>IPS_DST_NAT: the connection's destination was rewritten (a port forward).</summary>
    public const uint DestinationNat = 0x20;

    public static CtMatch State(uint bits) => new(CtKey.State, bits);

    public static CtMatch Status(uint bits) => new(CtKey.Status, bits);

    internal override void Emit(List<NftExpression> expressions)
    {
        expressions.Add(new Ct(Key, NftRegister.R0));
        expressions.Add(new Bitwise(NftRegister.R0, NftRegister.R0, BitConverter.GetBytes(Bits)));
        expressions.Add(new Cmp(CmpOp.NotEqual, NftRegister.R0, new byte[4]));
    }

    public override string ToString() => Key == CtKey.State
        ? "ct state " + string.Join(',', new[] { (Invalid, "invalid"), (Established, "established"), (Related, "related"), (New, "new") }.Where(b => (Bits & b.Item1) != 0).Select(b => b.Item2))
        : (Bits == DestinationNat ? "ct status dnat" : $"ct status 0x{Bits:x}");
}
