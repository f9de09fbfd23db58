using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Benchmarks;

/// <summary>
/// A VM namespace made for one benchmark iteration. Dispose unmounts it and returns only once the kernel has freed
/// it: that teardown holds the rtnl lock for milliseconds, and would otherwise land in the next iteration's
/// timings. A veth whose other end sits in the host namespace shows when: the end vanishes with the namespace.
/// </summary>
internal sealed class FreshNamespace : IDisposable
{
    private const string Sentinel = "fresh0";
    private readonly Rtnl _host;

    /// <summary>Creates <paramref name="name"/>, running <paramref name="inside"/> in it, with the sentinel veth.</summary>
    public FreshNamespace(Rtnl host, string name, Action? inside = null)
    {
        _host = host;
        Namespace = NetworkNamespace.Create(name, inside);
        host.Links.Create(new LinkSpec(Sentinel, new Veth(Sentinel) { PeerNamespace = Namespace }));
    }

    public NetworkNamespace Namespace { get; }

    public void Dispose()
    {
        var name = Namespace.Name!;
        Namespace.Dispose();
        NetworkNamespace.Delete(name);
        while (_host.Links.TryGet(Sentinel) is not null)
        {
            Thread.Sleep(1);
        }
    }
}
