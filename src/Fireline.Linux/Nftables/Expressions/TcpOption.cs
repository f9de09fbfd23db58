using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables.Expressions;

/// <summary>
/// Loads bytes of a TCP option into a register, or writes a register into them (the kernel fixes the checksum):
/// <c>[ exthdr load tcpopt 2b @ 2 + 2 => reg 1 ]</c>, <c>[ exthdr write tcpopt reg 1 => 2b @ 2 + 2 ]</c>. A packet
/// without the option breaks the rule off on load and is left alone on write.
/// </summary>
public sealed record TcpOption(byte Kind, int Offset, int Length, NftRegister Register, bool Write = false) : NftExpression
{
    /// <summary>TCPOPT_MAXSEG: the maximum segment size (2 bytes at offset 2).</summary>
    public const byte MaximumSegmentSize = 2;

    private const ushort DestinationAttribute = 1; // NFTA_EXTHDR_DREG
    private const ushort TypeAttribute = 2; // NFTA_EXTHDR_TYPE
    private const ushort OffsetAttribute = 3; // NFTA_EXTHDR_OFFSET
    private const ushort LengthAttribute = 4; // NFTA_EXTHDR_LEN
    private const ushort OpAttribute = 6; // NFTA_EXTHDR_OP
    private const ushort SourceAttribute = 7; // NFTA_EXTHDR_SREG
    private const uint TcpOptionOp = 1; // NFT_EXTHDR_OP_TCPOPT

    internal override string Name => "exthdr";

    internal override void EncodeData(NetlinkRequest request)
    {
        if (!Write)
        {
            request.Be32(DestinationAttribute, (uint)Register);
        }

        request.U8(TypeAttribute, Kind).Be32(OffsetAttribute, (uint)Offset).Be32(LengthAttribute, (uint)Length).Be32(OpAttribute, TcpOptionOp);
        if (Write)
        {
            request.Be32(SourceAttribute, (uint)Register);
        }
    }
}
