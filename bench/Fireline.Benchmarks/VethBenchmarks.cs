using BenchmarkDotNet.Attributes;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// A VM's veth pair: host end in the test host, peer created directly inside the VM namespace, then deleted
/// (deleting one end removes both): <c>ip link add bv0 type veth peer name eth0 netns NS</c> +
/// <c>ip link del bv0</c>.
/// </summary>
public class VethBenchmarks
{
    private TestHost _host = null!;
    private NetworkNamespace _vm = null!;
    private Rtnl _rtnl = null!;
    private LinkSpec _spec = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new TestHost();
        _vm = NetworkNamespace.Create("vm-" + _host.VmId("veth"));
        _rtnl = Rtnl.Open(_host.HostNamespace);
        _spec = new LinkSpec("bv0", new Veth("eth0") { PeerNamespace = _vm });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rtnl.Dispose();
        _vm.Dispose();
        _host.Dispose();
    }

    [Benchmark]
    public void CreateInNamespaceAndDelete()
    {
        _rtnl.Links.Create(_spec);
        _rtnl.Links.Delete("bv0");
    }
}
