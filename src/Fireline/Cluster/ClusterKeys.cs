using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// The cluster's key layout in etcd, in one place. A node's record stays after it stops (so status can list it as
/// gone); its liveness key lives under its lease and vanishes when the lease expires.
/// </summary>
internal static class ClusterKeys
{
    public const string Nodes = "/fireline/nodes/";

    public const string Alive = "/fireline/alive/";

    /// <summary>Address blocks: <c>/fireline/blocks/NETWORK/A.B.C.D/LEN</c>, the value the holding node's name.</summary>
    public const string Blocks = "/fireline/blocks/";

    /// <summary>
    /// VM endpoints: <c>/fireline/endpoints/NETWORK/NODE/VMID</c> (<see cref="ClusterEndpoint"/>), under the node's lease,
    /// so a node's endpoints vanish with it.
    /// </summary>
    public const string Endpoints = "/fireline/endpoints/";

    /// <summary>VXLAN network identifiers: <c>/fireline/vni/N</c>, the value the network's name; claimed once, never given back.</summary>
    public const string Vnis = "/fireline/vni/";

    /// <summary>
    /// Networks defined for the whole cluster: <c>/fireline/networks/defined/NAME</c> = the validated network as JSON in
    /// the form a <c>PUT /v1/networks/NAME</c> body takes (<see cref="Networks.NetworkJson"/>), and <c>/fireline/networks/deleted/NAME</c> = the node that deleted it (a tombstone: a node
    /// removes only networks the cluster deleted, never one it was given on its own). One prefix, so one watch sees both.
    /// </summary>
    public const string Networks = "/fireline/networks/";

    public const string DefinedNetworks = Networks + "defined/";

    public const string DeletedNetworks = Networks + "deleted/";

    /// <summary>The endpoints of one network, on every node: <c>/fireline/endpoints/NETWORK/</c>.</summary>
    public static string NetworkEndpoints(string network) => $"{Endpoints}{network}/";

    public static ByteString Endpoint(string network, string node, string vmId) => ByteString.CopyFromUtf8($"{Endpoints}{network}/{node}/{vmId}");

    public static ByteString Node(string node) => ByteString.CopyFromUtf8(Nodes + node);

    public static ByteString Liveness(string node) => ByteString.CopyFromUtf8(Alive + node);

    /// <summary>The end of the range of keys under <paramref name="prefix"/> (etcd's range_end: the prefix with its last byte plus one).</summary>
    public static ByteString RangeEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return ByteString.CopyFrom(bytes);
    }
}
