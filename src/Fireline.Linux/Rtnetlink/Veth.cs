using Fireline.Linux.Namespaces;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// A veth pair: <c>ip link add NAME type veth peer name PEER [netns NS] [address MAC]</c>. The peer is
/// created directly inside <see cref="PeerNamespace"/> when one is given, so its name never has to be unique in
/// the creating namespace. The peer cannot be brought up in the same message: the kernel configures it before
/// the pair is linked, and veth_open refuses with ENOTCONN. Bring it up afterwards, from its namespace.
/// </summary>
public sealed class Veth : LinkKind
{
    public Veth(string peerName) => PeerName = LinkName.Validate(peerName);

    public string PeerName { get; }

    public NetworkNamespace? PeerNamespace { get; init; }

    public MacAddress? PeerAddress { get; init; }

    public int? PeerMtu { get; init; }

    public override string Kind => "veth";

    internal override bool HasInfoData => true;

    internal override void WriteInfoData(NetlinkRequest request)
    {
        var peer = request.BeginNested(Ifla.VethInfoPeer);
        request.Struct(new IfInfoMsg());
        request.String(Ifla.IfName, PeerName);
        if (PeerAddress is { } address)
        {
            request.Attribute(Ifla.Address, address.ToBytes());
        }

        if (PeerMtu is { } mtu)
        {
            request.U32(Ifla.Mtu, (uint)mtu);
        }

        if (PeerNamespace is not null)
        {
            request.U32(Ifla.NetNsFd, (uint)PeerNamespace.FileDescriptor);
        }

        request.EndNested(peer);
    }

    internal override string Describe()
        => PeerNamespace is null ? $"veth peer name {PeerName}" : $"veth peer name {PeerName} netns {PeerNamespace.Name ?? PeerNamespace.Path}";
}
