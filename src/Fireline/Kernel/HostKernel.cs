using System.Collections.Concurrent;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Nftables;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Kernel;

/// <summary>
/// The host namespace and pooled connections into it. rtnetlink sockets are opened inside the host
/// namespace once and reused from any thread, one caller at a time per socket, so operations on different VMs
/// never wait for each other and never switch threads.
/// </summary>
public sealed class HostKernel : IDisposable
{
    private const int MaxIdleSockets = 16;
    private readonly ConcurrentBag<Rtnl> _idle = [];
    private readonly bool _ownsNamespace;
    private readonly NftContext _nft;

    public HostKernel(NetworkNamespace? hostNamespace, string netnsDirectory)
    {
        _ownsNamespace = hostNamespace is null;
        Namespace = hostNamespace ?? NetworkNamespace.Current();
        NetnsDirectory = netnsDirectory;
        try
        {
            // Opened now, while the process holds few descriptors, and kept: libnftables needs its socket below
            // descriptor 1024 (NftContext.Open says why), and a host of the library may open many later.
            _nft = NftContext.Open(Namespace);
        }
        catch
        {
            if (_ownsNamespace)
            {
                Namespace.Dispose();
            }

            throw;
        }
    }

    public NetworkNamespace Namespace { get; }

    /// <summary>Where VM namespaces are mounted.</summary>
    public string NetnsDirectory { get; }

    /// <summary>libnftables, acting on the host namespace whichever thread calls it.</summary>
    public NftContext Nftables => _nft;

    public T Rtnl<T>(Func<Rtnl, T> work)
    {
        var rtnl = Rent();
        try
        {
            return work(rtnl);
        }
        finally
        {
            Return(rtnl);
        }
    }

    public void Rtnl(Action<Rtnl> work)
    {
        var rtnl = Rent();
        try
        {
            work(rtnl);
        }
        finally
        {
            Return(rtnl);
        }
    }

    private Rtnl Rent() => _idle.TryTake(out var rtnl) ? rtnl : Linux.Rtnetlink.Rtnl.Open(Namespace);

    private void Return(Rtnl rtnl)
    {
        if (_idle.Count < MaxIdleSockets)
        {
            _idle.Add(rtnl);
        }
        else
        {
            rtnl.Dispose();
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var rtnl))
        {
            rtnl.Dispose();
        }

        _nft.Dispose();

        if (_ownsNamespace)
        {
            Namespace.Dispose();
        }
    }
}
