using BenchmarkDotNet.Attributes;
using Fireline.Linux;
using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;
using Fireline.Linux.TrafficControl;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// The two ways to join a VM namespace's veth end and its TAP, set up over netlink with the links already looked
/// up (as <c>VmDatapath</c> does after one link dump):
/// <list type="bullet">
/// <item>tc redirect (Fireline's choice), one send: <c>tc qdisc add dev V ingress; tc filter add dev V ... mirred
/// egress redirect dev T</c>, the same from T to V, <c>ip link set V up; ip link set T up</c>.</item>
/// <item>an in-namespace bridge (the design document's), three round trips, since a port needs the new bridge's
/// index: <c>ip link add br0 type bridge; ip link set br0 up</c>, <c>ip link show br0</c>, then
/// <c>ip link set V master br0 up; ip link set T master br0 up</c> in one send.</item>
/// </list>
/// Each iteration is one join of a fresh pair in a fresh namespace, as in a VM create: the first tc filter or
/// bridge in a namespace also pays for setting up the namespace's tc or bridge state, which later ones would not.
/// The namespace is dropped afterwards (see <see cref="FreshNamespace"/>); undoing a join instead would cost a link
/// delete, which is not what is measured.
/// </summary>
[InvocationCount(1, 1)]
[IterationCount(60)]
[WarmupCount(5)]
public class JoinBenchmarks
{
    private TestHost _host = null!;
    private string _name = null!;
    private FreshNamespace _vm = null!;
    private Rtnl _rtnl = null!;
    private Rtnl _hostRtnl = null!;
    private Link _veth = null!;
    private Link _tap = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new TestHost();
        _name = "vm-" + _host.VmId("join");
        _hostRtnl = Rtnl.Open(_host.HostNamespace);
    }

    [IterationSetup]
    public void NewPair()
    {
        _vm = new FreshNamespace(_hostRtnl, _name, static () => Tuntap.CreatePersistentTap("tap0"));
        _rtnl = Rtnl.Open(_vm.Namespace);
        _hostRtnl.Links.Create(new LinkSpec("hostend0", new Veth("veth0") { PeerNamespace = _vm.Namespace }));
        _veth = _rtnl.Links.Get("veth0");
        _tap = _rtnl.Links.Get("tap0");
    }

    [IterationCleanup]
    public void DropNamespace()
    {
        _rtnl.Dispose();
        _vm.Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _hostRtnl.Dispose();
        _host.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void TcRedirect() => _rtnl.Execute(TcRequests.Join(new NetlinkRequest(), _veth, _tap));

    [Benchmark]
    public void InNamespaceBridge()
    {
        _rtnl.Links.Create(new LinkSpec("br0", new Bridge()) { Up = true });
        var index = _rtnl.Links.Get("br0").Index;
        var ports = new NetlinkRequest();
        foreach (var port in new[] { _veth.Name, _tap.Name })
        {
            LinkRequests.SetMaster(ports, port, index);
            LinkRequests.SetUp(ports, port);
        }

        _rtnl.Execute(ports);
    }
}
