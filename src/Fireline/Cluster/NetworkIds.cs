using System.Collections.Concurrent;
using System.Text;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// Each network's VXLAN network identifier, the same on every node: derived from the network's name (FNV-1a), claimed
/// in etcd by create-if-absent (<c>/fireline/vni/N</c> → name), and on a collision the next number is tried. Claims are
/// never given back, so every node that probes from the same start finds the same number, and two networks never
/// share one.
/// </summary>
internal sealed class NetworkIds(EtcdClient client)
{
    private const int MaxVni = (1 << 24) - 1;
    private const int MaxProbes = 64;
    private readonly ConcurrentDictionary<string, int> _known = new(StringComparer.Ordinal);

    /// <summary>The network's VNI; throws <c>cluster-unavailable</c> when etcd does not answer.</summary>
    public int Claim(string network)
    {
        if (_known.TryGetValue(network, out var known))
        {
            return known;
        }

        var start = Derive(network);
        for (var probe = 0; probe < MaxProbes; probe++)
        {
            var vni = ((start - 1 + probe) % MaxVni) + 1;
            var key = ByteString.CopyFromUtf8(ClusterKeys.Vnis + vni.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var claim = new TxnRequest();
            claim.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
            claim.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFromUtf8(network) } });
            claim.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
            var answer = Etcd.Call("claiming a VXLAN id", deadline => client.TransactionAsync(claim, deadline: deadline)).GetAwaiter().GetResult();
            if (answer.Succeeded || answer.Responses[0].ResponseRange.Kvs.Any(kv => kv.Value.ToStringUtf8() == network))
            {
                return _known[network] = vni;
            }
        }

        throw ClusterErrors.VniExhausted(network, MaxProbes);
    }

    /// <summary>1 to 2^24-1 from the name's FNV-1a hash (0 is not a usable VNI).</summary>
    internal static int Derive(string network)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(network))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % MaxVni) + 1;
    }
}
