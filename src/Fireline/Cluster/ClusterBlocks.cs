using System.Collections.Concurrent;
using System.Net;
using dotnet_etcd;
using Etcdserverpb;
using Fireline.Addressing;
using Fireline.Ipam;
using Fireline.Vms;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// Address blocks claimed in etcd, Calico's way: a block's key is created by one compare-and-swap transaction
/// (create-if-absent, <c>create_revision == 0</c>) naming the node, so two nodes can never hold the same block,
/// also when both claim at once. Inside its blocks a node allocates alone, from its own state: a create costs one
/// etcd round trip when it needs a new block, none otherwise. A node gives no block back while it lives; the blocks
/// of a node gone for <see cref="ClusterOptions.BlockReclaimAfter"/> are reclaimed by the others
/// (<see cref="ClusterReclaimer"/>). So what is known about a block is cached while this node's lease lives, and
/// forgotten when it registers under a new lease (its blocks may have been reclaimed meanwhile: each is asked again,
/// and claimed again when still free); a node cut off from etcd keeps handing out from its own blocks only, and only
/// within its <see cref="LeaseFence"/>, before any other node may take them.
/// </summary>
public sealed class ClusterBlocks : IAddressBlocks
{
    /// <summary>64 addresses: a /26, Calico's default; a subnet smaller than that is one block.</summary>
    public const int DefaultBlockSize = 64;

    /// <summary>How long a released address rests before reuse (longer than any node's lease TTL and watch delay).</summary>
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromSeconds(60);

    private const int BlockPrefix = 26;

    private readonly EtcdClient _client;
    private readonly string _node;
    private readonly LeaseFence _fence;
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    internal ClusterBlocks(EtcdClient client, string node, LeaseFence fence)
    {
        _client = client;
        _node = node;
        _fence = fence;
    }

    public int BlockSize => DefaultBlockSize;

    public TimeSpan Cooldown => DefaultCooldown;

    /// <summary>Also throws <c>cluster-unavailable</c> for a block of this node's when its lease is past its fence.</summary>
    public bool Acquire(string network, Ipv4Network subnet, uint address)
    {
        var ours = Holds(network, subnet, address);
        if (ours)
        {
            _fence.Check();
        }

        return ours;
    }

    /// <summary>Whether this node holds the block of the VM's address (claiming it when free): only then is the VM published.</summary>
    internal bool Holds(VmRecord vm)
    {
        var address = Ipv4Network.ToUInt32(IPAddress.Parse(vm.Ipv4.Address));
        return Holds(vm.Network, new Ipv4Network(address, vm.Ipv4.PrefixLength), address);
    }

    /// <summary>After a new lease: every block is asked again (another node may hold it now).</summary>
    internal void Forget() => _known.Clear();

    /// <summary>One block's answer forgotten (it was reclaimed, or found changed): the next claim asks etcd.</summary>
    internal void Forget(string key) => _known.TryRemove(key, out _);

    private bool Holds(string network, Ipv4Network subnet, uint address)
    {
        var block = subnet.Size <= DefaultBlockSize
            ? subnet
            : new Ipv4Network(subnet.Network + ((address - subnet.Network) / DefaultBlockSize * DefaultBlockSize), BlockPrefix);
        var key = $"{ClusterKeys.Blocks}{network}/{block}";
        if (_known.TryGetValue(key, out var ours))
        {
            return ours;
        }

        var name = ByteString.CopyFromUtf8(key);
        var claim = new TxnRequest();
        claim.Compare.Add(new Compare { Key = name, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        claim.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = name, Value = ByteString.CopyFromUtf8(_node) } });
        claim.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = name } });
        var answer = Etcd.Call("claiming an address block", deadline => _client.TransactionAsync(claim, deadline: deadline)).GetAwaiter().GetResult();
        ours = answer.Succeeded || answer.Responses[0].ResponseRange.Kvs.Any(kv => kv.Value.ToStringUtf8() == _node);
        _known[key] = ours;
        return ours;
    }

    /// <summary>A block key's <c>network/10.0.0.64/26</c> as <c>network:10.0.0.64/26</c> (network names hold no '/').</summary>
    internal static string Describe(ByteString key)
    {
        var block = key.ToStringUtf8()[ClusterKeys.Blocks.Length..];
        var slash = block.IndexOf('/', StringComparison.Ordinal);
        return string.Concat(block.AsSpan(0, slash), ":", block.AsSpan(slash + 1));
    }
}
