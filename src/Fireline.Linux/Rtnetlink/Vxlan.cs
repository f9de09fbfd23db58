using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// A VXLAN tunnel endpoint: <c>ip link add NAME type vxlan id VNI [local A] [remote B | group G] [dev UNDERLAY]
/// dstport PORT [no]learning [ttl T]</c>. Frames go to <see cref="Remote"/> (one peer) or to the multicast
/// <see cref="Group"/>; with neither, only FDB entries added later say where they go.
/// </summary>
public sealed class Vxlan : LinkKind
{
    /// <summary>The IANA port. The kernel's own default is the pre-standard 8472, so the port is always sent.</summary>
    public const ushort IanaPort = 4789;

    private const ushort IdAttribute = 1;
    private const ushort GroupAttribute = 2;
    private const ushort LinkAttribute = 3;
    private const ushort LocalAttribute = 4;
    private const ushort TtlAttribute = 5;
    private const ushort LearningAttribute = 7;
    private const ushort PortAttribute = 15;
    private const ushort Group6Attribute = 16;
    private const ushort Local6Attribute = 17;
    private const int MaxVni = (1 << 24) - 1;

    public Vxlan(int vni)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vni);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vni, MaxVni);
        Vni = vni;
    }

    /// <summary>The 24-bit VXLAN network identifier.</summary>
    public int Vni { get; }

    /// <summary>The source address of outgoing packets.</summary>
    public IPAddress? Local { get; init; }

    /// <summary>The single peer (unicast); excludes <see cref="Group"/>.</summary>
    public IPAddress? Remote { get; init; }

    /// <summary>The multicast group; excludes <see cref="Remote"/>, and needs <see cref="UnderlayIndex"/>.</summary>
    public IPAddress? Group { get; init; }

    /// <summary>The link the tunnel's packets leave by (IFLA_VXLAN_LINK).</summary>
    public int? UnderlayIndex { get; init; }

    public ushort DestinationPort { get; init; } = IanaPort;

    /// <summary>Learn remote MAC addresses from received packets (the kernel's default).</summary>
    public bool Learning { get; init; } = true;

    /// <summary>The outer packets' TTL; the kernel's default (inherit/64) when null.</summary>
    public byte? Ttl { get; init; }

    public override string Kind => "vxlan";

    internal override bool HasInfoData => true;

    /// <summary>In iproute2's order (the command line's for dev and ttl, then its fixed order), so the bytes match its own.</summary>
    internal override void WriteInfoData(NetlinkRequest request)
    {
        if (UnderlayIndex is { } underlay)
        {
            request.U32(LinkAttribute, (uint)underlay);
        }

        if (Ttl is { } ttl)
        {
            request.U8(TtlAttribute, ttl);
        }

        request.U32(IdAttribute, (uint)Vni);
        if (Local is { } local)
        {
            request.Inet(local.AddressFamily == AddressFamily.InterNetworkV6 ? Local6Attribute : LocalAttribute, local);
        }

        if ((Remote ?? Group) is { } peer)
        {
            request.Inet(peer.AddressFamily == AddressFamily.InterNetworkV6 ? Group6Attribute : GroupAttribute, peer);
        }

        request.U8(LearningAttribute, Learning ? (byte)1 : (byte)0);
        request.Be16(PortAttribute, DestinationPort);
    }

    internal override string Describe()
    {
        var text = new StringBuilder("vxlan id ").Append(Vni.ToString(CultureInfo.InvariantCulture));
        if (Local is not null)
        {
            text.Append(" local ").Append(Local);
        }

        if (Remote is not null)
        {
            text.Append(" remote ").Append(Remote);
        }

        if (Group is not null)
        {
            text.Append(" group ").Append(Group);
        }

        if (UnderlayIndex is { } underlay)
        {
            text.Append(" dev ").Append(underlay.ToString(CultureInfo.InvariantCulture));
        }

        text.Append(" dstport ").Append(DestinationPort.ToString(CultureInfo.InvariantCulture)).Append(Learning ? " learning" : " nolearning");
        if (Ttl is { } ttl)
        {
            text.Append(" ttl ").Append(ttl.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    internal override void Validate()
    {
        if (Remote is not null && Group is not null)
        {
            throw new ArgumentException($"vxlan {Vni}: give a remote or a group, not both");
        }

        if (Group is not null && !InetAddresses.IsMulticast(Group))
        {
            throw new ArgumentException($"vxlan {Vni}: group {Group} is not a multicast address");
        }

        if (Remote is not null && InetAddresses.IsMulticast(Remote))
        {
            throw new ArgumentException($"vxlan {Vni}: remote {Remote} is a multicast address; give it as the group");
        }

        if (Local is not null && (Remote ?? Group) is { } peer && peer.AddressFamily != Local.AddressFamily)
        {
            throw new ArgumentException($"vxlan {Vni}: local {Local} and {peer} are of different families");
        }
    }
}
