using System.Buffers.Binary;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Nftables;

/// <summary>Reads nf_tables listings: chains, rules (with Fireline's digest), set names and elements.</summary>
internal static class NftParse
{
    public static string TableComment(NetlinkMessage message)
    {
        foreach (var attribute in message.Attributes<NfGenMsg>())
        {
            if (attribute.Type == NfTablesWire.TableUserdata)
            {
                return Userdata.ReadComment(attribute.Value) ?? "";
            }
        }

        return "";
    }

    public static NftChainListing? Chain(NetlinkMessage message, string table)
    {
        string? tableName = null, name = null;
        NftHook? hook = null;
        foreach (var attribute in message.Attributes<NfGenMsg>())
        {
            switch (attribute.Type)
            {
                case NfTablesWire.ChainTable:
                    tableName = attribute.String;
                    break;
                case NfTablesWire.ChainName:
                    name = attribute.String;
                    break;
                case NfTablesWire.ChainHook:
                    foreach (var part in attribute.Nested)
                    {
                        if (part.Type == NfTablesWire.HookNumber)
                        {
                            hook = (NftHook)BinaryPrimitives.ReadUInt32BigEndian(part.Value);
                        }
                    }

                    break;
            }
        }

        return tableName == table && name is not null ? new NftChainListing(name, hook) : null;
    }

    public static NftRuleListing? Rule(NetlinkMessage message)
    {
        string? chain = null, digest = null;
        ulong handle = 0;
        foreach (var attribute in message.Attributes<NfGenMsg>())
        {
            switch (attribute.Type)
            {
                case NfTablesWire.RuleChain:
                    chain = attribute.String;
                    break;
                case NfTablesWire.RuleHandle:
                    handle = BinaryPrimitives.ReadUInt64BigEndian(attribute.Value);
                    break;
                case NfTablesWire.RuleUserdata:
                    digest = Userdata.Digest(attribute.Value);
                    break;
            }
        }

        return chain is null ? null : new NftRuleListing(chain, handle, digest);
    }

    public static string? SetName(NetlinkMessage message, string table)
    {
        string? tableName = null, name = null;
        foreach (var attribute in message.Attributes<NfGenMsg>())
        {
            if (attribute.Type == NfTablesWire.SetTable)
            {
                tableName = attribute.String;
            }
            else if (attribute.Type == NfTablesWire.SetName)
            {
                name = attribute.String;
            }
        }

        return tableName == table ? name : null;
    }

    public static void Elements(NetlinkMessage message, List<NftElement> elements)
    {
        foreach (var attribute in message.Attributes<NfGenMsg>())
        {
            if (attribute.Type != NfTablesWire.ElementListElements)
            {
                continue;
            }

            foreach (var item in attribute.Nested)
            {
                elements.Add(Element(item.Nested));
            }
        }
    }

    private static NftElement Element(AttributeReader attributes)
    {
        byte[] key = [];
        byte[]? data = null;
        NftVerdict? verdict = null;
        var end = false;
        foreach (var attribute in attributes)
        {
            switch (attribute.Type)
            {
                case NfTablesWire.ElementKey:
                    key = Value(attribute.Nested) ?? [];
                    break;
                case NfTablesWire.ElementFlags:
                    end = (BinaryPrimitives.ReadUInt32BigEndian(attribute.Value) & NfTablesWire.ElementFlagIntervalEnd) != 0;
                    break;
                case NfTablesWire.ElementData:
                    data = Value(attribute.Nested);
                    verdict = Verdict(attribute.Nested);
                    break;
            }
        }

        return new NftElement(key) { Data = data, Verdict = verdict, IntervalEnd = end };
    }

    private static byte[]? Value(AttributeReader attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Type == NfTablesWire.DataValue)
            {
                return attribute.Value.ToArray();
            }
        }

        return null;
    }

    private static NftVerdict? Verdict(AttributeReader attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Type != NfTablesWire.DataVerdict)
            {
                continue;
            }

            var code = NftVerdictCode.Continue;
            string? chain = null;
            foreach (var part in attribute.Nested)
            {
                if (part.Type == NfTablesWire.VerdictCode)
                {
                    code = (NftVerdictCode)BinaryPrimitives.ReadInt32BigEndian(part.Value);
                }
                else if (part.Type == NfTablesWire.VerdictChain)
                {
                    chain = part.String;
                }
            }

            return new NftVerdict(code, chain);
        }

        return null;
    }
}
