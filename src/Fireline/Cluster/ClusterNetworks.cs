using dotnet_etcd;
using Etcdserverpb;
using Fireline.Errors;
using Fireline.Networks;
using Fireline.State;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// The cluster's network definitions in etcd (<see cref="ClusterKeys.Networks"/>): written by whichever node is asked,
/// each change as one transaction, and read whole by every node's follower, which materialises them.
/// </summary>
internal sealed class ClusterNetworks(EtcdClient client, string node, NetworkIds vnis) : INetworkDefinitions
{
    /// <summary>etcd refuses a transaction of more than 128 operations by default; each network takes two.</summary>
    public const int MaxPerTransaction = 64;

    /// <summary>
    /// Defines <paramref name="defined"/> and deletes <paramref name="deleted"/> for every node, in one transaction
    /// that commits only if nothing it read changed meanwhile: no key under <c>/fireline/networks/</c> (every
    /// definition, every tombstone) and no endpoint of a network deleted or moved to another subnet (an empty range
    /// passes) has a mod revision past the read's. So two concurrent changes never interleave: the second is refused
    /// whole (<c>conflict</c>), and a delete or move never commits past a VM another node published. The change is checked against the cluster's networks
    /// as read (<see cref="CheckAgainstCluster"/>), not only against the ones this node has materialised, which may
    /// lag a moment behind. The VXLAN ids are claimed before, by create-if-absent: a claim is never given back and
    /// every node derives the same one for the name, so an apply that then fails has only reserved early the number
    /// its network would get anyway.
    /// </summary>
    public void Write(IReadOnlyList<NetworkSpec> defined, IReadOnlyList<string> deleted)
    {
        if (defined.Count + deleted.Count > MaxPerTransaction)
        {
            throw DomainErrors.InvalidInput("networks",
                $"networks: {defined.Count + deleted.Count} networks in one change; a cluster applies at most {MaxPerTransaction} at a time (one etcd transaction)");
        }

        foreach (var spec in defined)
        {
            vnis.Claim(spec.Name);
        }

        var names = defined.Select(s => s.Name).Concat(deleted).ToList();
        var read = new TxnRequest();
        read.Success.Add(Range(ClusterKeys.DefinedNetworks, keysOnly: false));
        read.Success.AddRange(names.Select(name => Range(ClusterKeys.NetworkEndpoints(name), keysOnly: true)));
        var state = Etcd.Call("reading the networks", deadline => client.TransactionAsync(read, deadline: deadline)).GetAwaiter().GetResult();
        var current = CheckAgainstCluster([.. state.Responses[0].ResponseRange.Kvs.Select(kv => (kv.Key.ToStringUtf8()[ClusterKeys.DefinedNetworks.Length..], kv.Value.Memory))], defined, deleted);
        // A network deleted, or moved to another subnet, bridge or IPv6 prefix, must have no VM on any node: the nodes
        // that have some would refuse the change and keep the old one.
        var moved = defined.Where(s => current.TryGetValue(s.Name, out var old) && (old.Subnet != s.Subnet || old.Bridge != s.Bridge || old.Ipv6 != s.Ipv6)).Select(s => s.Name);
        var guarded = deleted.Concat(moved).ToHashSet(StringComparer.Ordinal);
        foreach (var (index, name) in names.Index().Where(n => guarded.Contains(n.Item)))
        {
            var nodes = state.Responses[1 + index].ResponseRange.Kvs.Select(kv => kv.Key.ToStringUtf8().Split('/')[4]).Distinct().Order(StringComparer.Ordinal).ToList();
            if (nodes.Count > 0)
            {
                throw DomainErrors.Conflict($"network '{name}' is used by VMs on node(s) {string.Join(", ", nodes)}: it cannot be " +
                    $"{(deleted.Contains(name) ? "deleted" : "given another subnet, bridge or IPv6 prefix")}; delete them first", deleted.Contains(name) ? "network" : "subnet");
            }
        }

        var unchangedSince = state.Header.Revision + 1;
        var write = new TxnRequest();
        write.Compare.Add(Unchanged(ClusterKeys.Networks, unchangedSince));
        write.Compare.AddRange(guarded.Select(name => Unchanged(ClusterKeys.NetworkEndpoints(name), unchangedSince)));
        foreach (var name in deleted)
        {
            write.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Defined(name) } });
            write.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Deleted(name), Value = ByteString.CopyFromUtf8(node) } });
        }

        foreach (var spec in defined)
        {
            write.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Defined(spec.Name), Value = ByteString.CopyFrom(NetworkJson.Write(spec)) } });
            write.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Deleted(spec.Name) } });
        }

        var answer = Etcd.Call("writing the networks", deadline => client.TransactionAsync(write, deadline: deadline)).GetAwaiter().GetResult();
        if (!answer.Succeeded)
        {
            throw DomainErrors.Conflict(
                "the cluster's networks changed meanwhile (another node's apply or delete, or a VM it created); nothing was written: apply again",
                "network");
        }
    }

    /// <summary>
    /// Every definition (as text: the follower parses and validates it, <see cref="NetworkFollowing"/>) and deletion,
    /// from one revision.
    /// </summary>
    public async Task<NetworkDefinitions> ReadAsync()
    {
        var range = await Etcd.Call("reading the networks", deadline => client.GetAsync(Range(ClusterKeys.Networks, keysOnly: false).RequestRange, deadline: deadline)).ConfigureAwait(false);
        var defined = new List<(string, ReadOnlyMemory<byte>)>();
        var deleted = new List<string>();
        foreach (var kv in range.Kvs)
        {
            var key = kv.Key.ToStringUtf8();
            if (key.StartsWith(ClusterKeys.DeletedNetworks, StringComparison.Ordinal))
            {
                deleted.Add(key[ClusterKeys.DeletedNetworks.Length..]);
            }
            else if (key.StartsWith(ClusterKeys.DefinedNetworks, StringComparison.Ordinal))
            {
                defined.Add((key[ClusterKeys.DefinedNetworks.Length..], kv.Value.Memory));
            }
        }

        return new NetworkDefinitions(defined, deleted);
    }

    /// <summary>
    /// The networks the cluster would hold after the change (those read, less the deleted and the redefined, plus the
    /// defined) through the value checks a networks file passes: no two share a name's bridge, a VLAN id, or
    /// overlapping subnets. A definition read that does not pass on its own is left out (no node materialises it).
    /// Throws <c>conflict</c> naming the changed network's field; returns the cluster's networks as they were read.
    /// </summary>
    internal static Dictionary<string, NetworkSpec> CheckAgainstCluster(IReadOnlyList<(string Name, ReadOnlyMemory<byte> Json)> current, IReadOnlyList<NetworkSpec> defined,
        IReadOnlyList<string> deleted)
    {
        var readable = new Dictionary<string, NetworkSpec>(StringComparer.Ordinal);
        foreach (var (name, json) in current)
        {
            try
            {
                readable[name] = NetworkJson.Read(json, name).Networks[0];
            }
            catch (FirelineException)
            {
                // not a network any node holds: nothing to clash with
            }
        }

        var changed = defined.Select(s => s.Name).Concat(deleted).ToHashSet(StringComparer.Ordinal);
        var staying = readable.Values.Where(n => !changed.Contains(n.Name)).ToList();

        var problems = new Problems();
        var theirs = false;
        // The changed networks come last: a clash is reported at the later network, so it names theirs. A clash among
        // the others alone (definitions written past this check) is not this change's to refuse.
        NetworkValidator.CheckValues([.. staying.Concat(defined).Index()], (index, field) =>
        {
            theirs |= index >= staying.Count;
            return field;
        }, problems);
        try
        {
            if (theirs)
            {
                problems.ThrowIfAny();
            }
        }
        catch (FirelineException clash)
        {
            throw DomainErrors.Conflict($"{clash.Message} (among the cluster's networks)", clash.Field);
        }

        return readable;
    }

    /// <summary>Every key under <paramref name="prefix"/> (none at all passes) last changed before <paramref name="revision"/>.</summary>
    private static Compare Unchanged(string prefix, long revision) => new()
    {
        Key = ByteString.CopyFromUtf8(prefix), RangeEnd = ClusterKeys.RangeEnd(prefix),
        Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Less, ModRevision = revision,
    };

    private static ByteString Defined(string name) => ByteString.CopyFromUtf8(ClusterKeys.DefinedNetworks + name);

    private static ByteString Deleted(string name) => ByteString.CopyFromUtf8(ClusterKeys.DeletedNetworks + name);

    private static RequestOp Range(string prefix, bool keysOnly)
        => new() { RequestRange = new RangeRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = ClusterKeys.RangeEnd(prefix), KeysOnly = keysOnly } };
}
