using System.Text.Json;
using dotnet_etcd;
using Etcdserverpb;
using Fireline.Errors;
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
    /// that commits only if nothing it read changed meanwhile: each network's definition is still at the revision
    /// read (absent: 0), and no endpoint of a deleted network appeared since (every key under its endpoints prefix
    /// has a mod revision at most the read's; an empty range passes). So two concurrent applies never interleave: the
    /// second finds the first's revision and is refused whole (<c>conflict</c>), and a delete never commits past a VM
    /// another node published. The VXLAN ids are claimed before, by create-if-absent: a claim is never given back
    /// and every node derives the same one for the name, so an apply that then fails has only reserved early the
    /// number its network would get anyway.
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
        read.Success.AddRange(names.Select(name => new RequestOp { RequestRange = new RangeRequest { Key = Defined(name) } }));
        read.Success.AddRange(deleted.Select(name => Range(ClusterKeys.NetworkEndpoints(name), keysOnly: true)));
        var state = Etcd.Call("reading the networks", deadline => client.TransactionAsync(read, deadline: deadline)).GetAwaiter().GetResult();
        foreach (var (index, name) in deleted.Index())
        {
            var nodes = state.Responses[names.Count + index].ResponseRange.Kvs.Select(kv => kv.Key.ToStringUtf8().Split('/')[4]).Distinct().Order(StringComparer.Ordinal).ToList();
            if (nodes.Count > 0)
            {
                throw DomainErrors.Conflict($"network '{name}' is used by VMs on node(s) {string.Join(", ", nodes)}; delete them first", "network");
            }
        }

        var write = new TxnRequest();
        foreach (var (index, name) in names.Index())
        {
            var revision = state.Responses[index].ResponseRange.Kvs.FirstOrDefault()?.ModRevision ?? 0;
            write.Compare.Add(new Compare { Key = Defined(name), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = revision });
        }

        foreach (var name in deleted)
        {
            write.Compare.Add(new Compare
            {
                Key = ByteString.CopyFromUtf8(ClusterKeys.NetworkEndpoints(name)), RangeEnd = ClusterKeys.RangeEnd(ClusterKeys.NetworkEndpoints(name)),
                Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Less, ModRevision = state.Header.Revision + 1,
            });
            write.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Defined(name) } });
            write.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Deleted(name), Value = ByteString.CopyFromUtf8(node) } });
        }

        foreach (var spec in defined)
        {
            write.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Defined(spec.Name), Value = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(spec, StateJson.Default.NetworkSpec)) } });
            write.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Deleted(spec.Name) } });
        }

        var answer = Etcd.Call("writing the networks", deadline => client.TransactionAsync(write, deadline: deadline)).GetAwaiter().GetResult();
        if (!answer.Succeeded)
        {
            throw DomainErrors.Conflict(
                $"network(s) {string.Join(", ", names.Select(n => $"'{n}'"))} changed in the cluster meanwhile (another node's apply or delete, or a VM it created); nothing was written: apply again",
                "network");
        }
    }

    /// <summary>
    /// Every definition and deletion, from one revision. A definition that is not a network (not JSON of one, or named
    /// other than its key) is left out and said why: what etcd holds is never trusted blindly (the follower validates
    /// the rest before it materialises them).
    /// </summary>
    public async Task<NetworkDefinitions> ReadAsync()
    {
        var range = await Etcd.Call("reading the networks", deadline => client.GetAsync(Range(ClusterKeys.Networks, keysOnly: false).RequestRange, deadline: deadline)).ConfigureAwait(false);
        var defined = new List<NetworkSpec>();
        var deleted = new List<string>();
        var skipped = new List<string>();
        foreach (var kv in range.Kvs)
        {
            var key = kv.Key.ToStringUtf8();
            if (key.StartsWith(ClusterKeys.DeletedNetworks, StringComparison.Ordinal))
            {
                deleted.Add(key[ClusterKeys.DeletedNetworks.Length..]);
            }
            else if (key.StartsWith(ClusterKeys.DefinedNetworks, StringComparison.Ordinal) && Parse(key[ClusterKeys.DefinedNetworks.Length..], kv.Value, skipped) is { } spec)
            {
                defined.Add(spec);
            }
        }

        return new NetworkDefinitions(defined, deleted, skipped);
    }

    private static NetworkSpec? Parse(string name, ByteString value, List<string> skipped)
    {
        try
        {
            var spec = JsonSerializer.Deserialize(value.Span, StateJson.Default.NetworkSpec);
            if (spec?.Name == name)
            {
                return spec;
            }

            skipped.Add($"the cluster's definition of network {UserText.Quote(name)} names another network; skipped");
        }
        catch (Exception error) when (error is JsonException or FirelineException)
        {
            skipped.Add($"the cluster's definition of network {UserText.Quote(name)} is not a network ({error.Message}); skipped");
        }

        return null;
    }

    private static ByteString Defined(string name) => ByteString.CopyFromUtf8(ClusterKeys.DefinedNetworks + name);

    private static ByteString Deleted(string name) => ByteString.CopyFromUtf8(ClusterKeys.DeletedNetworks + name);

    private static RequestOp Range(string prefix, bool keysOnly)
        => new() { RequestRange = new RangeRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = ClusterKeys.RangeEnd(prefix), KeysOnly = keysOnly } };
}
