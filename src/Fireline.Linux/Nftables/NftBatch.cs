using System.Buffers.Binary;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables;

/// <summary>
/// Changes queued for one nf_tables transaction: the kernel applies the whole batch or, if any message fails,
/// none of it. Messages ask for no acknowledgement; a failing one is answered with its error (see
/// <see cref="NetlinkSocket.ExecuteSilent"/>). Each method names its nft equivalent.
/// </summary>
public sealed class NftBatch
{
    /// <summary>
    /// Elements per message: NFTA_SET_ELEM_LIST_ELEMENTS is one attribute, whose length is 16 bits, so a long
    /// list is split over several messages (of the same transaction).
    /// </summary>
    private const int ElementsPerMessage = 512;

    private readonly NetlinkRequest _request = new();
    private bool _sealed;

    public NftBatch()
    {
        _request.Begin(NfTablesWire.BatchBegin, NetlinkFlags.None, "nft (transaction)", KernelObjectKind.Nftables, null)
            .Struct(new NfGenMsg { ResourceId = BinaryPrimitives.ReverseEndianness((ushort)NfTablesWire.SubsystemId) })
            .End();
    }

    /// <summary>The number of changes queued.</summary>
    public int Count => _request.Messages.Count - 1 - (_sealed ? 1 : 0);

    /// <summary>
    /// <c>nft add table inet fireline [{ comment "..." }]</c> (no error when it exists). The comment goes into the
    /// table's user data, where nft shows it (kernels before 5.13 drop it).
    /// </summary>
    public NftBatch AddTable(NftTable table, string? comment = null)
    {
        Begin(NfTablesWire.NewTable, NetlinkFlags.Create, $"nft add table {table}", table.Family, table.Name);
        _request.String(NfTablesWire.TableName, table.Name);
        if (comment is not null)
        {
            _request.Attribute(NfTablesWire.TableUserdata, Userdata.Comment(comment));
        }

        _request.End();
        return this;
    }

    /// <summary><c>nft delete table inet fireline</c>: the table with everything in it.</summary>
    public NftBatch DeleteTable(NftTable table)
    {
        Begin(NfTablesWire.DelTable, NetlinkFlags.None, $"nft delete table {table}", table.Family, table.Name);
        _request.String(NfTablesWire.TableName, table.Name).End();
        return this;
    }

    /// <summary><c>nft add chain inet fireline forward { type filter hook forward priority 0; policy accept; }</c></summary>
    public NftBatch AddChain(NftChain chain)
    {
        Begin(NfTablesWire.NewChain, NetlinkFlags.Create, $"nft add chain {chain}", chain.Table.Family, chain.Name);
        _request.String(NfTablesWire.ChainTable, chain.Table.Name).String(NfTablesWire.ChainName, chain.Name);
        if (chain.Base is { } hook)
        {
            var nested = _request.BeginNested(NfTablesWire.ChainHook, markNested: true);
            _request.Be32(NfTablesWire.HookNumber, (uint)hook.Hook).Be32(NfTablesWire.HookPriority, unchecked((uint)hook.Priority));
            _request.EndNested(nested);
            _request.Be32(NfTablesWire.ChainPolicy, (uint)hook.Policy).String(NfTablesWire.ChainType, hook.Type.Keyword());
        }

        _request.End();
        return this;
    }

    /// <summary><c>nft delete chain inet fireline in-a</c>: it must be empty and unreferenced by then.</summary>
    public NftBatch DeleteChain(NftChain chain)
    {
        Begin(NfTablesWire.DelChain, NetlinkFlags.None, $"nft delete chain {chain}", chain.Table.Family, chain.Name);
        _request.String(NfTablesWire.ChainTable, chain.Table.Name).String(NfTablesWire.ChainName, chain.Name).End();
        return this;
    }

    /// <summary><c>nft flush chain inet fireline in-a</c>: removes every rule of the chain.</summary>
    public NftBatch FlushChain(NftChain chain)
    {
        Begin(NfTablesWire.DelRule, NetlinkFlags.None, $"nft flush chain {chain}", chain.Table.Family, chain.Name);
        _request.String(NfTablesWire.RuleTable, chain.Table.Name).String(NfTablesWire.RuleChain, chain.Name).End();
        return this;
    }

    /// <summary><c>nft add rule inet fireline in-a ...</c>: appended after the chain's last rule.</summary>
    public NftBatch AddRule(NftRule rule)
    {
        Begin(NfTablesWire.NewRule, NetlinkFlags.Create | NetlinkFlags.Append, $"nft add rule {rule.Chain} {rule}", rule.Chain.Table.Family, rule.Chain.Name);
        _request.String(NfTablesWire.RuleTable, rule.Chain.Table.Name).String(NfTablesWire.RuleChain, rule.Chain.Name);
        rule.EncodeExpressions(_request);
        _request.Attribute(NfTablesWire.RuleUserdata, Userdata.Rule(rule)).End();
        return this;
    }

    /// <summary><c>nft add set inet fireline subnets { type ipv4_addr; flags interval; }</c>, or a map.</summary>
    public NftBatch AddSet(NftSet set)
    {
        Begin(NfTablesWire.NewSet, NetlinkFlags.Create, $"nft add {(set.Data is null && !set.VerdictMap ? "set" : "map")} {set}", set.Table.Family, set.Name);
        var flags = (set.Interval ? NfTablesWire.SetFlagInterval : 0) | (set.Data is not null || set.VerdictMap ? NfTablesWire.SetFlagMap : 0) |
                    (set.Key.IsConcat && set.Interval ? NfTablesWire.SetFlagConcat : 0);
        _request.String(NfTablesWire.SetTable, set.Table.Name).String(NfTablesWire.SetName, set.Name)
            .Be32(NfTablesWire.SetFlags, flags)
            .Be32(NfTablesWire.SetKeyType, set.Key.Id).Be32(NfTablesWire.SetKeyLength, (uint)set.Key.Length);
        if (set.VerdictMap)
        {
            _request.Be32(NfTablesWire.SetDataType, NfTablesWire.DataTypeVerdict);
        }
        else if (set.Data is { } data)
        {
            _request.Be32(NfTablesWire.SetDataType, data.Id).Be32(NfTablesWire.SetDataLength, (uint)data.Length);
        }

        if (!set.Key.IsConcat && set.Key.HostOrder)
        {
            _request.Attribute(NfTablesWire.SetUserdata, SetUserdata.HostOrderKey);
        }

        // The set's id within the transaction (the kernel requires one; rules here refer to sets by name).
        _request.Be32(NfTablesWire.SetId, (uint)_request.Messages.Count);

        // Field lengths tell the kernel to pick its concatenated-range backend (pipapo): interval sets only.
        if (set.Key.IsConcat && set.Interval)
        {
            var description = _request.BeginNested(NfTablesWire.SetDescription, markNested: true);
            var concat = _request.BeginNested(NfTablesWire.SetDescriptionConcat, markNested: true);
            foreach (var length in set.Key.FieldLengths)
            {
                var field = _request.BeginNested(NfTablesWire.ListElement, markNested: true);
                _request.Be32(NfTablesWire.SetFieldLength, (uint)length);
                _request.EndNested(field);
            }

            _request.EndNested(concat);
            _request.EndNested(description);
        }

        _request.End();
        return this;
    }

    /// <summary><c>nft delete set inet fireline subnets</c>: it must be unreferenced by then.</summary>
    public NftBatch DeleteSet(NftSet set)
    {
        Begin(NfTablesWire.DelSet, NetlinkFlags.None, $"nft delete set {set}", set.Table.Family, set.Name);
        _request.String(NfTablesWire.SetTable, set.Table.Name).String(NfTablesWire.SetName, set.Name).End();
        return this;
    }

    /// <summary><c>nft flush set inet fireline subnets</c>: removes every element.</summary>
    public NftBatch FlushSet(NftSet set)
    {
        Begin(NfTablesWire.DelSetElem, NetlinkFlags.None, $"nft flush set {set}", set.Table.Family, set.Name);
        _request.String(NfTablesWire.ElementListTable, set.Table.Name).String(NfTablesWire.ElementListSet, set.Name).End();
        return this;
    }

    /// <summary><c>nft add element inet fireline subnets { ... }</c> (no error for an element already there).</summary>
    public NftBatch AddElements(NftSet set, IReadOnlyList<NftElement> elements) => Elements(NfTablesWire.NewSetElem, NetlinkFlags.Create, "add", set, elements);

    /// <summary><c>nft delete element inet fireline subnets { ... }</c>: ENOENT when one of them is missing.</summary>
    public NftBatch DeleteElements(NftSet set, IReadOnlyList<NftElement> elements) => Elements(NfTablesWire.DelSetElem, NetlinkFlags.None, "delete", set, elements);

    /// <summary>The transaction's messages, ended by the batch's end.</summary>
    internal NetlinkRequest Seal()
    {
        if (!_sealed)
        {
            _request.Begin(NfTablesWire.BatchEnd, NetlinkFlags.None, "nft (end of transaction)", KernelObjectKind.Nftables, null)
                .Struct(new NfGenMsg { ResourceId = BinaryPrimitives.ReverseEndianness((ushort)NfTablesWire.SubsystemId) })
                .End();
            _sealed = true;
        }

        return _request;
    }

    private NftBatch Elements(byte message, NetlinkFlags flags, string verb, NftSet set, IReadOnlyList<NftElement> elements)
    {
        foreach (var chunk in elements.Chunk(ElementsPerMessage))
        {
            Begin(message, flags, $"nft {verb} element {set}", set.Table.Family, set.Name);
            _request.String(NfTablesWire.ElementListTable, set.Table.Name).String(NfTablesWire.ElementListSet, set.Name);
            var list = _request.BeginNested(NfTablesWire.ElementListElements, markNested: true);
            foreach (var element in chunk)
            {
                Encode(element);
            }

            _request.EndNested(list);
            _request.End();
        }

        return this;
    }

    private void Encode(NftElement element)
    {
        var nested = _request.BeginNested(NfTablesWire.ListElement, markNested: true);
        var key = _request.BeginNested(NfTablesWire.ElementKey, markNested: true);
        _request.Attribute(NfTablesWire.DataValue, element.Key);
        _request.EndNested(key);
        if (element.IntervalEnd)
        {
            _request.Be32(NfTablesWire.ElementFlags, NfTablesWire.ElementFlagIntervalEnd);
        }

        if (element.Verdict is { } verdict)
        {
            var data = _request.BeginNested(NfTablesWire.ElementData, markNested: true);
            verdict.Encode(_request);
            _request.EndNested(data);
        }
        else if (element.Data is { } value)
        {
            var data = _request.BeginNested(NfTablesWire.ElementData, markNested: true);
            _request.Attribute(NfTablesWire.DataValue, value);
            _request.EndNested(data);
        }

        _request.EndNested(nested);
    }

    private void Begin(byte message, NetlinkFlags flags, string operation, NftFamily family, string name)
    {
        if (_sealed)
        {
            throw new InvalidOperationException("the batch was sent already");
        }

        _request.Begin(NfTablesWire.Type(message), flags, operation, KernelObjectKind.Nftables, name).Struct(new NfGenMsg { Family = (byte)family });
    }
}
