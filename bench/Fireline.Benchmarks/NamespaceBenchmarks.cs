using BenchmarkDotNet.Attributes;
using Fireline.Linux.Namespaces;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// One VM namespace's life: <c>ip netns add NAME</c> then <c>ip netns delete NAME</c>. The name carries the test
/// host's prefix, so the host's cleanup removes it even if a run is cut short.
/// </summary>
public class NamespaceBenchmarks
{
    private TestHost _host = null!;
    private string _name = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new TestHost();
        _name = "vm-" + _host.VmId("bench");
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark]
    public void CreateAndDelete()
    {
        NetworkNamespace.Create(_name).Dispose();
        NetworkNamespace.Delete(_name);
    }
}
