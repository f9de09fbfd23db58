using Fireline.Addressing;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Nftables;
using Fireline.Linux.Rtnetlink;
using Fireline.State;

namespace Fireline.Kernel;

/// <summary>
/// The host namespace and pooled connections into it: rtnetlink and nf_tables sockets, opened inside the host
/// namespace once and reused from any thread (see <see cref="ConnectionPool{T}"/>); and the one way into a VM's
/// namespace (<see cref="OpenVm(VmId)"/>).
/// </summary>
public sealed class HostKernel : IDisposable
{
    private readonly bool _ownsNamespace;
    private readonly ConnectionPool<Rtnl> _rtnl;
    private readonly ConnectionPool<NfTables> _nft;

    /// <param name="hostNamespace">The host namespace; null: the process's own (opened here, closed by Dispose).</param>
    /// <param name="netnsDirectory">Where VM namespaces are mounted.</param>
    /// <param name="ownsNamespace">Dispose closes <paramref name="hostNamespace"/> too.</param>
    public HostKernel(NetworkNamespace? hostNamespace, string netnsDirectory, bool ownsNamespace = false)
    {
        _ownsNamespace = ownsNamespace || hostNamespace is null;
        Namespace = hostNamespace ?? NetworkNamespace.Current();
        NetnsDirectory = netnsDirectory;
        _rtnl = new ConnectionPool<Rtnl>(() => Linux.Rtnetlink.Rtnl.Open(Namespace));
        _nft = new ConnectionPool<NfTables>(() => NfTables.Open(Namespace));
    }

    public NetworkNamespace Namespace { get; }

    /// <summary>Where VM namespaces are mounted.</summary>
    public string NetnsDirectory { get; }

    /// <summary>
    /// Opens VM <paramref name="id"/>'s namespace. Throws <see cref="NamespaceNotFoundException"/> when none is
    /// mounted under its name.
    /// </summary>
    public VmNamespace OpenVm(VmId id) => OpenVm(VmAddressing.NamespaceName(id));

    /// <summary>As <see cref="OpenVm(VmId)"/>; null when no namespace is mounted under its name.</summary>
    public VmNamespace? TryOpenVm(VmId id) => TryOpenVm(VmAddressing.NamespaceName(id));

    /// <summary>
    /// Opens <paramref name="vm"/>'s namespace where it is: <c>vm-ID</c>, or a CNI attachment's runtime namespace by its
    /// path. Throws <see cref="NamespaceNotFoundException"/> when it is gone.
    /// </summary>
    public VmNamespace OpenVm(VmState vm) => OpenVm(vm.NamespacePath(NetnsDirectory));

    /// <summary>As <see cref="OpenVm(VmState)"/>; null when the namespace is gone.</summary>
    public VmNamespace? TryOpenVm(VmState vm) => TryOpenVm(vm.NamespacePath(NetnsDirectory));

    /// <summary>
    /// Opens the VM namespace named <paramref name="name"/> (<c>vm-ID</c>, as a sweep of the namespaces finds it) or at
    /// a path; null when no namespace is mounted there.
    /// </summary>
    public VmNamespace? TryOpenVm(string name)
    {
        try
        {
            return OpenVm(name);
        }
        catch (NamespaceNotFoundException)
        {
            return null; // gone, or never made: callers ask because either may be the case
        }
    }

    private VmNamespace OpenVm(string name) => new(NetworkNamespace.Open(name, NetnsDirectory));

    public T Rtnl<T>(Func<Rtnl, T> work) => _rtnl.Use(work);

    public void Rtnl(Action<Rtnl> work) => _rtnl.Use(rtnl =>
    {
        work(rtnl);
        return true;
    });

    /// <summary>nf_tables of the host namespace.</summary>
    public T Nft<T>(Func<NfTables, T> work) => _nft.Use(work);

    public void Nft(Action<NfTables> work) => _nft.Use(nft =>
    {
        work(nft);
        return true;
    });

    public void Dispose()
    {
        _rtnl.Dispose();
        _nft.Dispose();
        if (_ownsNamespace)
        {
            Namespace.Dispose();
        }
    }
}
