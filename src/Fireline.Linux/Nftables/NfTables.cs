using Fireline.Linux.Namespaces;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables;

/// <summary>
/// nf_tables over a NETLINK_NETFILTER socket bound to one network namespace: transactions (<see cref="NftBatch"/>)
/// and listings. Every rule, set and element is sent as typed attributes, never as text: nothing a caller
/// writes can become syntax. Not thread-safe: one caller at a time.
/// </summary>
public sealed class NfTables : IDisposable
{
    private readonly NetlinkSocket _socket;

    private NfTables(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens a connection to the nf_tables of <paramref name="ns"/>, usable from any thread.</summary>
    public static NfTables Open(NetworkNamespace ns) => new(ns.OpenNetlink(NetlinkProtocol.Netfilter));

    /// <summary>
    /// Applies the batch as one transaction: every change or, when the kernel refuses any, none (<c>nft -f</c>).
    /// The first refusal is thrown as a <see cref="KernelException"/> naming its change.
    /// </summary>
    public void Apply(NftBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count > 0)
        {
            _socket.ExecuteSilent(batch.Seal(), Generation());
        }
    }

    /// <summary>Whether the table exists: <c>nft list table inet fireline</c> succeeds.</summary>
    public bool HasTable(NftTable table) => Table(table) is not null;

    /// <summary>The table's comment (from its user data; empty when it has none), or null when there is no such table.</summary>
    public string? Table(NftTable table)
    {
        var request = Request(NfTablesWire.GetTable, NetlinkFlags.None, $"nft list table {table}", table.Family, table.Name);
        request.String(NfTablesWire.TableName, table.Name).End();
        string? comment = null;
        try
        {
            _socket.Execute(request, message => comment = NftParse.TableComment(message));
            return comment ?? "";
        }
        catch (KernelObjectNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The table's chains: <c>nft list chains</c>, of one table.</summary>
    public IReadOnlyList<NftChainListing> Chains(NftTable table)
        => _socket.Dump(() => Dump(NfTablesWire.GetChain, $"nft list chains {table.Family.Keyword()}", table), message => NftParse.Chain(message, table.Name));

    /// <summary>The rules of a table, or of one of its chains, in order: <c>nft -a list chain inet fireline in-a</c>.</summary>
    public IReadOnlyList<NftRuleListing> Rules(NftTable table, string? chain = null)
        => _socket.Dump(() =>
        {
            var request = Request(NfTablesWire.GetRule, NetlinkFlags.Dump, $"nft list {(chain is null ? "table" : "chain")} {table}{(chain is null ? "" : " " + chain)}", table.Family, chain ?? table.Name);
            request.String(NfTablesWire.RuleTable, table.Name);
            if (chain is not null)
            {
                request.String(NfTablesWire.RuleChain, chain);
            }

            return request.End();
        }, NftParse.Rule);

    /// <summary>The names of the table's sets and maps: <c>nft list sets</c>, of one table.</summary>
    public IReadOnlyList<string> Sets(NftTable table)
        => _socket.Dump(() =>
        {
            var request = Request(NfTablesWire.GetSet, NetlinkFlags.Dump, $"nft list sets {table}", table.Family, table.Name);
            return request.String(NfTablesWire.SetTable, table.Name).End();
        }, message => NftParse.SetName(message, table.Name));

    /// <summary>The elements of a set or map: <c>nft list set inet fireline subnets</c>.</summary>
    public IReadOnlyList<NftElement> Elements(NftSet set)
    {
        var elements = new List<NftElement>();
        _socket.Dump(() =>
        {
            var request = Request(NfTablesWire.GetSetElem, NetlinkFlags.Dump, $"nft list set {set}", set.Table.Family, set.Name);
            return request.String(NfTablesWire.ElementListTable, set.Table.Name).String(NfTablesWire.ElementListSet, set.Name).End();
        }, message => NftParse.Elements(message, elements), elements.Clear);
        return elements;
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>NFT_MSG_GETGEN: always answered, so it closes a silent batch (see <see cref="NetlinkSocket.ExecuteSilent"/>).</summary>
    private static NetlinkRequest Generation()
        => Request(NfTablesWire.GetGen, NetlinkFlags.None, "nft (ruleset generation)", 0, null).End();

    private static NetlinkRequest Dump(byte message, string operation, NftTable table)
        => Request(message, NetlinkFlags.Dump, operation, table.Family, table.Name).End();

    private static NetlinkRequest Request(byte message, NetlinkFlags flags, string operation, NftFamily family, string? name)
        => new NetlinkRequest().Begin(NfTablesWire.Type(message), flags, operation, KernelObjectKind.Nftables, name).Struct(new NfGenMsg { Family = (byte)family });
}
