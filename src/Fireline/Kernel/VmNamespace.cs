using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Kernel;

/// <summary>
/// A VM's namespace (<c>vm-ID</c>) held open, and an rtnetlink connection bound to it, opened on first use: that
/// costs a thread hop, which a caller that only needs the handle (to move a link in, or to compare its id) never pays.
/// </summary>
public sealed class VmNamespace : IDisposable
{
    private Rtnl? _rtnl;

    internal VmNamespace(NetworkNamespace ns) => Namespace = ns;

    public NetworkNamespace Namespace { get; }

    /// <summary>rtnetlink inside the VM's namespace, usable from any thread.</summary>
    public Rtnl Rtnl => _rtnl ??= Rtnl.Open(Namespace);

    public void Dispose()
    {
        _rtnl?.Dispose();
        Namespace.Dispose();
    }
}
