using BenchmarkDotNet.Attributes;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// The create half of <see cref="TapBenchmarks"/> alone (<c>ip -n NS tuntap add dev tapN mode tap</c>), since a
/// link's delete (~17 ms of RCU waits) hides it in the cycle. Each iteration makes <see cref="PerIteration"/> TAPs
/// in a fresh namespace, as the floor's <c>ip -n NS -batch</c> makes its TAPs in one namespace.
/// </summary>
public class TapCreateBenchmarks
{
    private const int PerIteration = 64;
    private TestHost _host = null!;
    private Rtnl _hostRtnl = null!;
    private string _name = null!;
    private FreshNamespace _vm = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _host = new TestHost();
        _hostRtnl = Rtnl.Open(_host.HostNamespace);
        _name = "vm-" + _host.VmId("tapc");
    }

    [IterationSetup]
    public void NewNamespace()
    {
        _vm = new FreshNamespace(_hostRtnl, _name);
        _next = 0;
    }

    [IterationCleanup]
    public void DropNamespace() => _vm.Dispose();

    [GlobalCleanup]
    public void Cleanup()
    {
        _hostRtnl.Dispose();
        _host.Dispose();
    }

    [Benchmark]
    [InvocationCount(PerIteration, unrollFactor: 1)]
    public void CreateInNamespace()
    {
        var name = "tap" + _next++;
        _vm.Namespace.Run(() => Tuntap.CreatePersistentTap(name));
    }
}
