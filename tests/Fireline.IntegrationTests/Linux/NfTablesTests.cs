using System.Net;
using Fireline.Linux;
using Fireline.Linux.Nftables;
using Fireline.Linux.Nftables.Clauses;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

/// <summary>
/// nf_tables over netlink against the kernel, with the nft tool as the independent observer: what is sent is
/// what nft lists (rules written as nft writes them), a transaction is all or nothing, and listings read back
/// what was sent.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class NfTablesTests : IDisposable
{
    private static readonly NftTable Table = new(NftFamily.Inet, "t");
    private static readonly NftTable BridgeTable = new(NftFamily.Bridge, "t");
    private static readonly NftSet Ports = new(Table, "ports", NftDataType.InterfaceName);
    private static readonly NftSet Prefixes = new(Table, "prefixes", NftDataType.Ipv4Address) { Interval = true };
    private static readonly NftSet Jumps = new(Table, "jumps", NftDataType.InterfaceName) { VerdictMap = true };
    private static readonly NftSet Forwards = new(Table, "forwards", NftDataType.Concat(NftDataType.InetProtocol, NftDataType.InetService))
    {
        Data = NftDataType.Concat(NftDataType.Ipv4Address, NftDataType.InetService),
    };

    private static readonly NftSet Macs = new(BridgeTable, "macs", NftDataType.Concat(NftDataType.InterfaceName, NftDataType.EtherAddress, NftDataType.Ipv4Address));
    private static readonly NftChain Forward = new(Table, "forward", new NftBaseChain(NftChainType.Filter, NftHook.Forward, 0));
    private static readonly NftChain Nat = new(Table, "prerouting", new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, -100));
    private static readonly NftChain Policy = new(Table, "policy");
    private static readonly NftChain Guard = new(BridgeTable, "guard", new NftBaseChain(NftChainType.Filter, NftHook.Prerouting, -200));

    private readonly TestHost _host = new();
    private readonly NfTables _nft;

    public NfTablesTests() => _nft = NfTables.Open(_host.HostNamespace);

    private string Ns => _host.HostNamespaceName;

    /// <summary>Each rule as this project writes it, and as nft 1.0.6 lists it back from the kernel.</summary>
    public static TheoryData<string, string> Rules() => new()
    {
        { "ct", "ct state established,related accept" },
        { "iif", "iifname \"br-a\" oifname != \"uplink0\" drop" },
        { "wildcard", "iifname != \"fl*\" accept" },
        { "sets", "iifname != @ports ip saddr @prefixes drop" },
        { "vmap", "iifname vmap @jumps" },
        { "prefix", "ip daddr 169.254.0.0/16 drop" },
        { "range", "ip saddr 203.0.113.0/24 tcp dport 8000-8100 accept" },
        { "icmp", "ip daddr 10.1.0.1 icmp type echo-request accept" },
        { "icmpv6", "ip6 daddr fd00::1 icmpv6 type nd-neighbor-solicit return" },
        { "status", "iifname \"uplink0\" ct status dnat jump policy" },
        { "l4proto", "meta l4proto udp drop" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_rule_reaches_the_kernel_as_nft_writes_it(string name, string listed)
    {
        var rule = new NftRule(Forward, Clauses(name), name);
        _nft.Apply(Frame().AddRule(rule));

        Assert.Equal(listed + $" comment \"{name}\"", RuleLines("forward").Single());
        Assert.Equal(listed + $" comment \"{name}\"", rule.ToString());
    }

    [Fact]
    public void Nat_and_bridge_rules_with_concatenations_reach_the_kernel_as_nft_writes_them()
    {
        var dnat = new NftRule(Nat, [new InterfaceMatch(PacketDirection.In, "uplink0"), new FibLocalMatch(), new DestinationNatMapStatement(Forwards.Name)]);
        var guard = new NftRule(Guard, [new EtherTypeMatch(EtherTypeMatch.Ipv4),
            new ConcatSetMatch([NftField.InputInterfaceName, NftField.EtherSource, NftField.Address(AddressField.Ipv4Source)], Macs.Name, Negate: true), new VerdictStatement(NftVerdict.Drop)]);
        _nft.Apply(Frame().AddRule(dnat).AddRule(guard)
            .AddElements(Forwards, [new NftElement(NftData.Concat([6], NftData.Port(8080))) { Data = NftData.Concat(NftData.Address(IPAddress.Parse("10.1.0.2")), NftData.Port(80)) }])
            .AddElements(Macs, [new NftElement(NftData.Concat(NftData.InterfaceName("fl0a010002"), MacAddress.Parse("06:00:0a:01:00:02").ToBytes(), [10, 1, 0, 2]))]));

        Assert.Equal("iifname \"uplink0\" fib daddr type local meta nfproto ipv4 dnat ip to meta l4proto . th dport map @forwards", RuleLines("prerouting").Single());
        // nft folds the ethertype into the ip saddr that needs it.
        Assert.Equal("iifname . ether saddr . ip saddr != @macs drop", RuleLines("guard", "bridge").Single());
        Assert.Contains("tcp . 8080 : 10.1.0.2 . 80", _host.InHost("nft", "list", "map", "inet", "t", "forwards"), StringComparison.Ordinal);
        Assert.Contains("\"fl0a010002\" . 06:00:0a:01:00:02 . 10.1.0.2", _host.InHost("nft", "list", "set", "bridge", "t", "macs"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_transaction_with_one_refused_change_changes_nothing_and_names_the_refused_one()
    {
        _nft.Apply(Frame());
        var before = _host.InHost("nft", "list", "ruleset");

        var error = Assert.Throws<KernelObjectNotFoundException>(() => _nft.Apply(new NftBatch()
            .AddElements(Ports, [new NftElement(NftData.InterfaceName("br-new"))])
            .AddRule(new NftRule(Forward, [new VerdictStatement(NftVerdict.Accept)]))
            .AddRule(new NftRule(Forward, [new VerdictStatement(NftVerdict.Jump("missing"))]))));

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("nft add rule inet t forward jump missing", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, _host.InHost("nft", "list", "ruleset"));
    }

    [Fact]
    public void Listings_read_back_chains_rules_with_their_digests_sets_and_elements()
    {
        var rule = new NftRule(Policy, [new ProtocolMatch(ProtocolMatch.Tcp), new VerdictStatement(NftVerdict.Return)], "web");
        _nft.Apply(Frame().AddRule(rule)
            .AddElements(Prefixes, [.. NftRanges.Prefix(IPNetwork.Parse("10.1.0.0/16")), .. NftRanges.Prefix(IPNetwork.Parse("10.2.0.0/16"))])
            .AddElements(Jumps, [new NftElement(NftData.InterfaceName("br-a")) { Verdict = NftVerdict.Jump(Policy.Name) }]));

        Assert.Equal(["forward", "prerouting", "policy"], _nft.Chains(Table).Select(c => c.Name));
        Assert.Equal(NftHook.Forward, _nft.Chains(Table)[0].Hook);
        Assert.Equal(rule.Digest, Assert.Single(_nft.Rules(Table, Policy.Name)).Digest);
        Assert.Equal(["ports", "prefixes", "jumps", "forwards"], _nft.Sets(Table));
        Assert.Equal(NftVerdict.Jump("policy"), Assert.Single(_nft.Elements(Jumps)).Verdict);
        // Adjacent prefixes: 10.2.0.0 is the end of one interval and the start of the next.
        Assert.Equal(4, _nft.Elements(Prefixes).Count);
        Assert.Equal(["10.1.0.0/16", "10.2.0.0/16"], Nft.SetElements(Ns, "inet", "t", "prefixes"));
        Assert.Equal("", _nft.Table(Table));
        Assert.Null(_nft.Table(new NftTable(NftFamily.Inet, "absent")));
    }

    [Fact]
    public void A_table_keeps_its_comment()
    {
        _nft.Apply(new NftBatch().AddTable(Table, "fireline:0123abcd"));

        Assert.Equal("fireline:0123abcd", _nft.Table(Table));
        Assert.Contains("comment \"fireline:0123abcd\"", _host.InHost("nft", "list", "table", "inet", "t"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_transaction_larger_than_the_sockets_buffer_is_sent_whole()
    {
        // 20,000 elements of 28-byte keys: about 1 MB, five times a socket's default send buffer.
        var elements = Enumerable.Range(0, 20_000)
            .Select(i => new NftElement(NftData.Concat(NftData.InterfaceName($"fl{i:x8}"), MacAddress.Parse("06:00:00:00:00:01").ToBytes(), [10, (byte)(i >> 16), (byte)(i >> 8), (byte)i])))
            .ToList();

        _nft.Apply(Frame().AddElements(Macs, elements));

        Assert.Equal(20_000, _nft.Elements(Macs).Count);
    }

    [Fact]
    public void A_connection_opened_in_the_namespace_acts_there_from_any_thread()
    {
        // Thread-pool threads, in the process's own namespace: the tables still land in the test host.
        Parallel.For(0, 8, i =>
        {
            lock (_nft)
            {
                _nft.Apply(new NftBatch().AddTable(new NftTable(NftFamily.Inet, $"t{i}")));
            }
        });

        Assert.Equal(8, Nft.Objects(Ns, "table").Count);
        Assert.DoesNotContain(Nft.Ruleset(null), item => item.TryGetProperty("table", out var t) && t.GetProperty("name").GetString() == "t0");
    }

    public void Dispose()
    {
        _nft.Dispose();
        _host.Dispose();
    }

    /// <summary>Both tables with their sets and chains, in one batch to which a test adds.</summary>
    private static NftBatch Frame()
    {
        var batch = new NftBatch().AddTable(Table).AddTable(BridgeTable);
        foreach (var set in new[] { Ports, Prefixes, Jumps, Forwards, Macs })
        {
            batch.AddSet(set);
        }

        foreach (var chain in new[] { Forward, Nat, Policy, Guard })
        {
            batch.AddChain(chain);
        }

        return batch;
    }

    private static NftClause[] Clauses(string name) => name switch
    {
        "ct" => [CtMatch.State(CtMatch.Established | CtMatch.Related), new VerdictStatement(NftVerdict.Accept)],
        "iif" => [new InterfaceMatch(PacketDirection.In, "br-a"), new InterfaceMatch(PacketDirection.Out, "uplink0", Negate: true), new VerdictStatement(NftVerdict.Drop)],
        "wildcard" => [new InterfaceMatch(PacketDirection.In, "fl*", Negate: true), new VerdictStatement(NftVerdict.Accept)],
        "sets" => [new InterfaceSetMatch(PacketDirection.In, Ports.Name, Negate: true), new AddressSetMatch(AddressField.Ipv4Source, Prefixes.Name, NftFamily.Inet),
            new VerdictStatement(NftVerdict.Drop)],
        "vmap" => [new InterfaceVerdictMap(PacketDirection.In, Jumps.Name)],
        "prefix" => [new AddressMatch(AddressField.Ipv4Destination, IPNetwork.Parse("169.254.0.0/16"), NftFamily.Inet), new VerdictStatement(NftVerdict.Drop)],
        "range" => [new AddressMatch(AddressField.Ipv4Source, IPNetwork.Parse("203.0.113.0/24"), NftFamily.Inet), new PortMatch(ProtocolMatch.Tcp, PortEnd.Destination, 8000, 8100),
            new VerdictStatement(NftVerdict.Accept)],
        "icmp" => [new AddressMatch(AddressField.Ipv4Destination, IPNetwork.Parse("10.1.0.1/32"), NftFamily.Inet), IcmpTypeMatch.V4(IcmpTypeMatch.EchoRequest),
            new VerdictStatement(NftVerdict.Accept)],
        "icmpv6" => [new AddressMatch(AddressField.Ipv6Destination, IPNetwork.Parse("fd00::1/128"), NftFamily.Inet), IcmpTypeMatch.V6(IcmpTypeMatch.NeighbourSolicit),
            new VerdictStatement(NftVerdict.Return)],
        "status" => [new InterfaceMatch(PacketDirection.In, "uplink0"), CtMatch.Status(CtMatch.DestinationNat), new VerdictStatement(NftVerdict.Jump(Policy.Name))],
        "l4proto" => [new ProtocolMatch(ProtocolMatch.Udp), new VerdictStatement(NftVerdict.Drop)],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>A chain's rules as nft lists them, one per line.</summary>
    private List<string> RuleLines(string chain, string family = "inet")
    {
        var text = _host.InHost("nft", "list", "chain", family, "t", chain);
        return [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("table ", StringComparison.Ordinal) &&
            !l.StartsWith("chain ", StringComparison.Ordinal) && !l.StartsWith("type ", StringComparison.Ordinal) && l != "}")];
    }
}
