using BenchmarkDotNet.Attributes;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// A VM's persistent TAP, made inside the VM namespace (one thread hop into it) and deleted over a netlink socket
/// bound to it: <c>ip -n NS tuntap add dev tap0 mode tap</c> + <c>ip -n NS link del tap0</c>.
/// </summary>
public class TapBenchmarks
{
    private TestHost _host = null!;
    private NetworkNamespace _vm = null!;
    private Rtnl _rtnl = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new TestHost();
        _vm = NetworkNamespace.Create("vm-" + _host.VmId("tap"));
        _rtnl = Rtnl.Open(_vm);
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
        _vm.Run(static () => Tuntap.CreatePersistentTap("tap0"));
        _rtnl.Links.Delete("tap0");
    }
}
