using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using dotnet_etcd;
using Etcdserverpb;
using Fireline.Addressing;
using Fireline.Vms;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// Each network's VXLAN network identifier, the same on every node: derived from the network's name (FNV-1a), claimed
/// in etcd by create-if-absent (<c>/fireline/vni/N</c> → name), and on a collision the next number is tried. Claims are
/// never given back, so every node that probes from the same start finds the same number, and two networks never
/// share one.
/// Each further segment of a network (<see cref="NetworkSegments"/>: segment k ≥ 1) is a VXLAN segment of its own,
/// claimed the same way under the name <c>NETWORK/k</c> (network names hold no '/', so no network takes it); segment 0
/// is the network's own VNI, as before segments crossed nodes. A segment's VNI is claimed when first needed (a VM of
/// it published, or a remote one converged), not at apply: a /16 has 256 segments. Every answer is cached (claims are
/// never given back), so only the first need of a segment on a node costs an etcd round trip.
/// </summary>
internal sealed class NetworkIds(EtcdClient client)
{
    private const int MaxVni = (1 << 24) - 1;
    private const int MaxProbes = 64;
    private readonly ConcurrentDictionary<string, int> _known = new(StringComparer.Ordinal);

    /// <summary>The VNI of the VM's segment of its network (the one its endpoint is published with).</summary>
    public int Claim(VmRecord vm)
    {
        var address = Ipv4Network.ToUInt32(IPAddress.Parse(vm.Ipv4.Address));
        return Claim(vm.Network, NetworkSegments.Of(new Ipv4Network(address, vm.Ipv4.PrefixLength), address));
    }

    /// <summary>
    /// The VNI of segment <paramref name="segment"/> of the network (0: the network's own); throws
    /// <c>cluster-unavailable</c> when it is not known yet and etcd does not answer.
    /// </summary>
    public int Claim(string network, int segment = 0)
    {
        var name = segment == 0 ? network : string.Create(CultureInfo.InvariantCulture, $"{network}/{segment}");
        if (_known.TryGetValue(name, out var known))
        {
            return known;
        }

        var start = Derive(name);
        for (var probe = 0; probe < MaxProbes; probe++)
        {
            var vni = ((start - 1 + probe) % MaxVni) + 1;
            var key = ByteString.CopyFromUtf8(ClusterKeys.Vnis + vni.ToString(CultureInfo.InvariantCulture));
            var claim = new TxnRequest();
            claim.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
            claim.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFromUtf8(name) } });
            claim.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
            var answer = Etcd.Call("claiming a VXLAN id", deadline => client.TransactionAsync(claim, deadline: deadline)).GetAwaiter().GetResult();
            if (answer.Succeeded || answer.Responses[0].ResponseRange.Kvs.Any(kv => kv.Value.ToStringUtf8() == name))
            {
                return _known[name] = vni;
            }
        }

        throw ClusterErrors.VniExhausted(name, MaxProbes);
    }

    /// <summary>1 to 2^24-1 from the name's FNV-1a hash (0 is not a usable VNI).</summary>
    internal static int Derive(string name)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % MaxVni) + 1;
    }
}
