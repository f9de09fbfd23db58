using System.Text;
using BenchmarkDotNet.Attributes;
using Fireline.Linux.Nftables;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// One VM's element in a plain (non-interval) set that already holds <see cref="Loaded"/> others, added and removed
/// as two transactions through one reused libnftables context:
/// <c>nft add element inet T vms { 10.100.0.2 }</c> + <c>nft delete element inet T vms { 10.100.0.2 }</c>.
/// </summary>
public class NftablesBenchmarks
{
    /// <summary>The set's other elements: a host with this many VMs.</summary>
    public const int Loaded = 4000;

    private TestHost _host = null!;
    private NftContext _nft = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new TestHost();
        _nft = NftContext.Open(_host.HostNamespace);
        var load = new StringBuilder("add table inet bench\nadd set inet bench vms { type ipv4_addr; }\nadd element inet bench vms { ");
        for (var i = 0; i < Loaded; i++)
        {
            load.Append(i == 0 ? "" : ", ").Append($"10.101.{i / 250}.{i % 250 + 2}");
        }

        _nft.Run(load.Append(" }\n").ToString());
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
        _nft.Run("add element inet bench vms { 10.100.0.2 }");
        _nft.Run("delete element inet bench vms { 10.100.0.2 }");
    }
}
