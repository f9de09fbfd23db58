using BenchmarkDotNet.Attributes;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// One port leaving and rejoining the test host's bridge while <see cref="Ports"/> ports are on it: what a VM
/// delete (detach) and create (attach at veth creation) pay on a large host, since the bridge driver walks its
/// port list on each change. <c>ip link set p0 nomaster</c> + <c>ip link set p0 master br-vms</c>.
/// </summary>
public class BridgePortBenchmarks
{
    private TestHost _host = null!;
    private Rtnl _rtnl = null!;
    private int _bridge;

    [Params(10, 1000)]
    public int Ports { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _host = new TestHost();
        _rtnl = Rtnl.Open(_host.HostNamespace);
        _rtnl.Links.Create(new LinkSpec("br-vms", new Bridge()) { Up = true });
        _bridge = _rtnl.Links.Get("br-vms").Index;
        for (var i = 0; i < Ports; i++)
        {
            _rtnl.Links.Create(new LinkSpec("p" + i, new Veth("q" + i)) { MasterIndex = _bridge, Up = true });
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rtnl.Dispose();
        _host.Dispose();
    }

    [Benchmark]
    public void DetachAndAttach()
    {
        _rtnl.Links.SetNoMaster("p0");
        _rtnl.Links.SetMaster("p0", _bridge);
    }
}
