using BenchmarkDotNet.Attributes;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// The create half of <see cref="TapBenchmarks"/> alone (<c>ip -n NS tuntap add dev tapN mode tap</c>), since a
/// link's delete (~17 ms of RCU waits) hides it in the cycle. Each iteration makes <see cref="PerIteration"/> TAPs
/// in a fresh namespace; the namespace is unmounted after the iteration, and the kernel frees its TAPs in one batch.
/// </summary>
public class TapCreateBenchmarks
{
    private const int PerIteration = 64;
    private TestHost _host = null!;
    private NetworkNamespace _vm = null!;
    private string _name = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _host = new TestHost();
        _name = "vm-" + _host.VmId("tapc");
    }

    [IterationSetup]
    public void NewNamespace()
    {
        _vm = NetworkNamespace.Create(_name);
        _next = 0;
    }

    [IterationCleanup]
    public void DropNamespace()
    {
        _vm.Dispose();
        NetworkNamespace.Delete(_name);
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark]
    [InvocationCount(PerIteration, unrollFactor: 1)]
    public void CreateInNamespace()
    {
        var name = "tap" + _next++;
        _vm.Run(() => Tuntap.CreatePersistentTap(name));
    }
}
