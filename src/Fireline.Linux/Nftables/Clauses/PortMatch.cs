using System.Buffers.Binary;
using System.Globalization;
using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>
/// A TCP or UDP port or port range, with its protocol: <c>tcp dport 443</c>, <c>udp sport 67</c>,
/// <c>tcp dport 8000-8100</c>.
/// </summary>
public sealed record PortMatch(byte Protocol, PortEnd End, ushort From, ushort To) : NftClause
{
    public PortMatch(byte protocol, PortEnd end, ushort port) : this(protocol, end, port, port)
    {
    }

    internal override void Emit(List<NftExpression> expressions)
    {
        if (From > To)
        {
            throw new ArgumentException($"port range {From}-{To} is empty");
        }

        ProtocolMatch.Emit(expressions, Protocol);
        expressions.Add(new Payload(PayloadBase.Transport, End == PortEnd.Source ? 0 : 2, 2, NftRegister.R0));
        if (From == To)
        {
            expressions.Add(new Cmp(CmpOp.Equal, NftRegister.R0, Port(From)));
        }
        else
        {
            expressions.Add(new Expressions.Range(NftRegister.R0, Port(From), Port(To)));
        }
    }

    private static byte[] Port(ushort port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
        return bytes;
    }

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{ProtocolMatch.Name(Protocol)} {(End == PortEnd.Source ? "sport" : "dport")} {From}{(From == To ? "" : $"-{To}")}");
}

public enum PortEnd
{
    Source,
    Destination,
}
