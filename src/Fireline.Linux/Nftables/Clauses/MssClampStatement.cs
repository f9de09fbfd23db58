using System.Buffers.Binary;
using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>
/// Lowers the MSS a TCP SYN (or SYN-ACK) offers to <see cref="Mss"/> when it offers more, so that neither end sends
/// segments a smaller link on the path (a tunnel) would drop: <c>tcp flags syn tcp option maxseg size &gt; MSS tcp option
/// maxseg size set MSS</c>. Other packets, and SYNs offering less or none, pass unchanged.
/// </summary>
public sealed record MssClampStatement(ushort Mss) : NftClause
{
    private const byte SynFlag = 0x02;

    internal override void Emit(List<NftExpression> expressions)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(Mss, ushort.MaxValue);
        ProtocolMatch.Emit(expressions, ProtocolMatch.Tcp);
        expressions.Add(new Payload(PayloadBase.Transport, 13, 1, NftRegister.R0));
        expressions.Add(new Bitwise(NftRegister.R0, NftRegister.R0, [SynFlag]));
        expressions.Add(new Cmp(CmpOp.NotEqual, NftRegister.R0, [0]));
        expressions.Add(new TcpOption(TcpOption.MaximumSegmentSize, 2, 2, NftRegister.R0));
        expressions.Add(new Expressions.Range(NftRegister.R0, Be16((ushort)(Mss + 1)), Be16(ushort.MaxValue)));
        expressions.Add(new ImmediateData(NftRegister.R0, Be16(Mss)));
        expressions.Add(new TcpOption(TcpOption.MaximumSegmentSize, 2, 2, NftRegister.R0, Write: true));
    }

    public override string ToString() => $"tcp flags syn tcp option maxseg size > {Mss} tcp option maxseg size set {Mss}";

    private static byte[] Be16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }
}
