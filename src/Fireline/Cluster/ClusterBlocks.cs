using System.Collections.Concurrent;
using dotnet_etcd;
using Etcdserverpb;
using Fireline.Addressing;
using Fireline.Ipam;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// Address blocks claimed in etcd, Calico's way: a block's key is created by one compare-and-swap transaction
/// (create-if-absent, <c>create_revision == 0</c>) naming the node, so two nodes can never hold the same block,
/// also when both claim at once. Inside its blocks a node allocates alone, from its own state: a create costs one
/// etcd round trip when it needs a new block, none otherwise. Blocks are never given back in this version, so
/// what is known about a block (ours or another node's) is cached for good, and a node cut off from etcd keeps
/// handing out addresses from its own blocks only, which no other node can hand out.
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
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    internal ClusterBlocks(EtcdClient client, string node)
    {
        _client = client;
        _node = node;
    }

    public int BlockSize => DefaultBlockSize;

    public TimeSpan Cooldown => DefaultCooldown;

    public bool Acquire(string network, Ipv4Network subnet, uint address)
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
