using System.Net.Sockets;
using Fireline.Linux.Nftables.Expressions;

namespace Fireline.Linux.Nftables.Clauses;

/// <summary>The source or destination address of an IPv4 or IPv6 packet, with what proves the packet is one.</summary>
public sealed record AddressField(AddressFamily Family, AddressEnd End)
{
    public static AddressField Ipv4Source { get; } = new(AddressFamily.InterNetwork, AddressEnd.Source);

    public static AddressField Ipv4Destination { get; } = new(AddressFamily.InterNetwork, AddressEnd.Destination);

    public static AddressField Ipv6Source { get; } = new(AddressFamily.InterNetworkV6, AddressEnd.Source);

    public static AddressField Ipv6Destination { get; } = new(AddressFamily.InterNetworkV6, AddressEnd.Destination);

    public static AddressField Of(AddressFamily family, AddressEnd end) => new(family, end);

    public int Length => Family == AddressFamily.InterNetwork ? 4 : 16;

    /// <summary>Offset in the network header: IPv4 saddr 12, daddr 16; IPv6 saddr 8, daddr 24.</summary>
    private int Offset => (Family, End) switch
    {
        (AddressFamily.InterNetwork, AddressEnd.Source) => 12,
        (AddressFamily.InterNetwork, _) => 16,
        (_, AddressEnd.Source) => 8,
        _ => 24,
    };

    /// <summary>
    /// The check that the packet is of this family, which must come before the load: in the inet family the
    /// layer-3 protocol (<c>meta nfproto ipv4</c>); in the bridge family the frame's ethertype (<c>ether type ip</c>).
    /// </summary>
    internal void EmitDependency(List<NftExpression> expressions, NftFamily table)
    {
        if (table == NftFamily.Bridge)
        {
            EtherTypeMatch.Emit(expressions, Family == AddressFamily.InterNetwork ? EtherTypeMatch.Ipv4 : EtherTypeMatch.Ipv6);
        }
        else if (table == NftFamily.Inet)
        {
            expressions.Add(new Meta(MetaKey.NetfilterProtocol, NftRegister.R0));
            expressions.Add(new Cmp(CmpOp.Equal, NftRegister.R0, [(byte)(Family == AddressFamily.InterNetwork ? NftFamily.Ipv4 : NftFamily.Ipv6)]));
        }
    }

    internal Payload Load(NftRegister destination) => new(PayloadBase.Network, Offset, Length, destination);

    public override string ToString() => $"{(Family == AddressFamily.InterNetwork ? "ip" : "ip6")} {(End == AddressEnd.Source ? "saddr" : "daddr")}";
}

public enum AddressEnd
{
    Source,
    Destination,
}
