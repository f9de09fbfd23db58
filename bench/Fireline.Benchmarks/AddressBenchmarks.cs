using System.Net;
using BenchmarkDotNet.Attributes;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// An address on the test host's bridge, added and removed: <c>ip addr add 10.100.0.2/32 dev br0</c> +
/// <c>ip addr del 10.100.0.2/32 dev br0</c>.
/// </summary>
public class AddressBenchmarks
{
    private TestHost _host = null!;
    private Rtnl _rtnl = null!;
    private Address _address = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new TestHost();
        _rtnl = Rtnl.Open(_host.HostNamespace);
        _rtnl.Links.Create(new LinkSpec("br0", new Bridge()));
        _address = new Address(_rtnl.Links.Get("br0").Index, IPAddress.Parse("10.100.0.2"), 32);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rtnl.Dispose();
        _host.Dispose();
    }

    [Benchmark]
    public void AddAndDelete()
    {
        _rtnl.Addresses.Add(_address);
        _rtnl.Addresses.Delete(_address);
    }
}
