using System.Net;
using Fireline.Linux.Nftables;
using Fireline.Linux.Nftables.Clauses;

namespace Fireline.Tests.Linux;

/// <summary>
/// nf_tables transactions byte for byte. Where nft 1.0.6 sends the same thing, the golden is what
/// <c>strace -f -e trace=sendmsg -xx nft ...</c> showed (seq zeroed): the batch's framing, flushing a chain. Where
/// Fireline differs on purpose it is said: no NFTA_SET_ELEM_LIST_SET_ID (sets are named), 32-bit registers
/// (NFT_REG32_00 = 8 where nft loads a 16-byte name into NFT_REG_1), and every rule's user data carries its digest.
/// </summary>
public sealed class NftBatchTests
{
    private static readonly NftTable T = new(NftFamily.Inet, "t");

    // nft -f - <<< ''  (the frame of every transaction: batch begin and end, subsystem 10)
    private const string Begin = "14000000100001000000000000000000" + "0000000a";
    private const string End = "14000000110001000000000000000000" + "0000000a";

    [Fact]
    public void A_transaction_is_framed_by_batch_begin_and_end_for_nf_tables()
    {
        var batch = new NftBatch();

        Golden.Equal(Begin + End, batch.Seal());
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void Flushing_a_chain_matches_nft()
    {
        // nft flush chain inet t c
        var batch = new NftBatch().FlushChain(new NftChain(T, "c"));

        Golden.Equal(Begin + "2400000008 0a 0100 0000000000000000" + "01000000" + "0600010074000000" + "0600020063000000" + End, batch.Seal());
    }

    [Fact]
    public void Adding_an_element_matches_nft_but_for_the_set_id()
    {
        // nft add element inet t s { 10.0.0.1 }; nft also sends NFTA_SET_ELEM_LIST_SET_ID (0x4) = 1
        var batch = new NftBatch().AddElements(new NftSet(T, "s", NftDataType.Ipv4Address), [new NftElement([10, 0, 0, 1])]);

        Golden.Equal(Begin +
            "380000000c0a01040000000000000000" + "01000000" + // NEWSETELEM, REQUEST|CREATE, family inet
            "0600010074000000" + "0600020073000000" + // table t, set s
            "14000380" + "10000180" + "0c000180" + "080001000a000001" + // { elem { key { value 10.0.0.1 } } }
            End, batch.Seal());
    }

    [Fact]
    public void An_interval_end_and_a_verdict_are_element_attributes()
    {
        var batch = new NftBatch()
            .AddElements(new NftSet(T, "p", NftDataType.Ipv4Address) { Interval = true }, [new NftElement([10, 2, 0, 0]) { IntervalEnd = true }])
            .AddElements(new NftSet(T, "m", NftDataType.InterfaceName) { VerdictMap = true }, [new NftElement(NftData.InterfaceName("br-a")) { Verdict = NftVerdict.Jump("in-a") }]);

        Golden.Equal(Begin +
            "400000000c0a01040000000000000000" + "01000000" + "0600010074000000" + "0600020070000000" +
            "1c000380" + "18000180" + "0c000180" + "080001000a020000" + "0800030000000001" + // key 10.2.0.0, flags INTERVAL_END
            "600000000c0a01040000000000000000" + "01000000" + "0600010074000000" + "060002006d000000" +
            "3c000380" + "38000180" + "18000180" + "14000100" + "62722d61000000000000000000000000" + // key "br-a", padded to 16
            "1c000280" + "18000280" + "08000100fffffffd" + "09000200696e2d6100000000" + // data { verdict { code JUMP (-3), chain "in-a" } }
            End, batch.Seal());
    }

    [Fact]
    public void A_rule_sends_its_expressions_and_its_digest()
    {
        // nft add rule inet t c iifname "br-a" accept comment "x", with 32-bit registers
        var rule = new NftRule(new NftChain(T, "c"), [new InterfaceMatch(PacketDirection.In, "br-a"), new VerdictStatement(NftVerdict.Accept)], "x");
        var batch = new NftBatch().AddRule(rule);
        var userdata = Convert.ToHexString(Userdata.Rule(rule)).ToLowerInvariant();

        Golden.Equal(Begin +
            "d0000000060a010c0000000000000000" + "01000000" + "0600010074000000" + "0600020063000000" + // NEWRULE, REQUEST|CREATE|APPEND
            "90000480" +
            "24000180" + "090001006d65746100000000" + "14000280" + "0800010000000008" + "0800020000000006" + // meta load iifname => reg 8
            "38000180" + "08000100636d7000" + "2c000280" + "0800010000000008" + "0800020000000000" + // cmp eq reg 8
            "18000380" + "14000100" + "62722d61000000000000000000000000" + //   "br-a" padded to 16
            "30000180" + "0e000100696d6d656469617465000000" + "1c000280" + "0800010000000000" + // immediate reg 0
            "10000280" + "0c000280" + "0800010000000001" + //   verdict accept
            "1c000700" + userdata + // user data: comment "x", digest
            End, batch.Seal());
        Assert.StartsWith("00027800f112", userdata, StringComparison.Ordinal); // comment "x" (type 0, 2 bytes), then the digest (type 0xf1, 18 bytes)
    }

    [Fact]
    public void Long_element_lists_are_split_over_messages_of_one_transaction()
    {
        var set = new NftSet(T, "s", NftDataType.Ipv4Address);
        var batch = new NftBatch().AddElements(set, [.. Enumerable.Range(0, 1000).Select(i => new NftElement([10, 0, (byte)(i >> 8), (byte)i]))]);

        Assert.Equal(2, batch.Count);
    }

    [Fact]
    public void A_prefix_is_its_first_address_and_the_address_after_its_last_as_an_interval_end()
    {
        var elements = NftRanges.Prefix(IPNetwork.Parse("10.1.0.0/16"));

        Assert.Equal([10, 1, 0, 0], elements[0].Key);
        Assert.False(elements[0].IntervalEnd);
        Assert.Equal([10, 2, 0, 0], elements[1].Key);
        Assert.True(elements[1].IntervalEnd);
        Assert.Single(NftRanges.Prefix(IPNetwork.Parse("255.255.255.0/24"))); // no address after the last
    }

    [Fact]
    public void User_data_keeps_a_comment_and_a_digest_that_nft_skips()
    {
        var rule = new NftRule(new NftChain(T, "c"), [new VerdictStatement(NftVerdict.Drop)], "web");

        var data = Userdata.Rule(rule);

        Assert.Equal(rule.Digest, Userdata.Digest(data));
        Assert.Equal("web", Userdata.ReadComment(data));
        Assert.Equal("fireline:ab", Userdata.ReadComment(Userdata.Comment("fireline:ab")));
        Assert.Null(Userdata.Digest(Userdata.Comment("fireline:ab")));
    }

    [Fact]
    public void Equal_rules_have_equal_digests_and_any_change_changes_it()
    {
        NftRule Rule(string comment, ushort port) => new(new NftChain(T, "c"), [new PortMatch(ProtocolMatch.Tcp, PortEnd.Destination, port), new VerdictStatement(NftVerdict.Accept)], comment);

        Assert.Equal(Rule("web", 80).Digest, Rule("web", 80).Digest);
        Assert.NotEqual(Rule("web", 80).Digest, Rule("web", 81).Digest);
        Assert.NotEqual(Rule("web", 80).Digest, Rule("www", 80).Digest);
    }

    [Fact]
    public void Interface_names_that_the_kernel_would_cut_are_refused()
    {
        Assert.Throws<ArgumentException>(() => NftData.InterfaceName("a-name-of-16-byt"));
        Assert.Throws<ArgumentException>(() => NftData.InterfaceName(""));
        Assert.Throws<ArgumentException>(() => NftData.InterfaceName("nul\0name"));
        Assert.Equal(16, NftData.InterfaceName("br-a").Length);
    }
}
