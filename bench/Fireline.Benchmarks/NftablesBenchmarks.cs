using System.Net;
using BenchmarkDotNet.Attributes;
using Fireline.Linux.Nftables;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// One VM's element in a plain (non-interval) set that already holds <see cref="Loaded"/> others, added and removed
/// as two transactions over one nf_tables netlink socket:
/// <c>nft add element inet T vms { 10.100.0.2 }</c> + <c>nft delete element inet T vms { 10.100.0.2 }</c>.
/// </summary>
public class NftablesBenchmarks
{
    /// <summary>The set's other elements: a host with this many VMs.</summary>
    public const int Loaded = 4000;

    private static readonly NftTable Table = new(NftFamily.Inet, "bench");
    private static readonly NftSet Vms = new(Table, "vms", NftDataType.Ipv4Address);
    private static readonly NftElement Probe = new(NftData.Address(IPAddress.Parse("10.100.0.2")));

    private TestHost _host = null!;
    private NfTables _nft = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new TestHost();
        _nft = NfTables.Open(_host.HostNamespace);
        var load = Enumerable.Range(0, Loaded).Select(i => new NftElement([10, 101, (byte)(i / 250), (byte)((i % 250) + 2)])).ToList();
        _nft.Apply(new NftBatch().AddTable(Table).AddSet(Vms).AddElements(Vms, load));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _nft.Dispose();
        _host.Dispose();
    }

    [Benchmark]
    public void AddAndDeleteElement()
    {
        _nft.Apply(new NftBatch().AddElements(Vms, [Probe]));
        _nft.Apply(new NftBatch().DeleteElements(Vms, [Probe]));
    }
}
