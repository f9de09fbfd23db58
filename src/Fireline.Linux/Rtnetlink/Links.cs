using Fireline.Linux.Namespaces;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>Link operations over one rtnetlink socket, in that socket's namespace.</summary>
public sealed class Links
{
    private readonly NetlinkSocket _socket;

    internal Links(NetlinkSocket socket) => _socket = socket;

    /// <summary>
    /// <c>ip link add NAME ... type KIND</c>, then <c>ip link set NAME alias TEXT</c> when the spec has an alias.
    /// Throws <see cref="LinkExistsException"/> when the name is taken.
    /// </summary>
    /// <remarks>
    /// Two sends, not one batch: the kernel goes on with a batch's next message after one fails, so an alias sent
    /// with a create that found the name taken would mark the link that already had it.
    /// </remarks>
    public void Create(LinkSpec spec)
    {
        _socket.Execute(LinkRequests.Create(new NetlinkRequest(), spec));
        if (spec.Alias is { } alias)
        {
            SetAlias(spec.Name, alias);
        }
    }

    /// <summary><c>ip link del NAME</c>. Throws <see cref="LinkNotFoundException"/> when there is no such link.</summary>
    public void Delete(string name) => _socket.Execute(LinkRequests.Delete(new NetlinkRequest(), name));

    /// <summary><c>ip link del NAME</c>, where a missing link counts as done; returns whether one was deleted.</summary>
    public bool DeleteIfExists(string name)
    {
        try
        {
            Delete(name);
            return true;
        }
        catch (LinkNotFoundException)
        {
            return false; // already gone is the state the caller wants
        }
    }

    /// <summary><c>ip link set NAME up</c></summary>
    public void SetUp(string name) => _socket.Execute(LinkRequests.SetUp(new NetlinkRequest(), name, up: true));

    /// <summary><c>ip link set NAME down</c></summary>
    public void SetDown(string name) => _socket.Execute(LinkRequests.SetUp(new NetlinkRequest(), name, up: false));

    /// <summary><c>ip link set NAME master MASTER</c></summary>
    public void SetMaster(string name, string master) => SetMaster(name, Get(master).Index);

    /// <summary><c>ip link set NAME master INDEX</c></summary>
    public void SetMaster(string name, int masterIndex) => _socket.Execute(LinkRequests.SetMaster(new NetlinkRequest(), name, masterIndex));

    /// <summary><c>ip link set NAME nomaster</c></summary>
    public void SetNoMaster(string name) => _socket.Execute(LinkRequests.SetMaster(new NetlinkRequest(), name, 0));

    /// <summary><c>ip link set NAME address MAC</c></summary>
    public void SetAddress(string name, MacAddress address) => _socket.Execute(LinkRequests.SetAddress(new NetlinkRequest(), name, address));

    /// <summary><c>ip link set NAME mtu MTU</c></summary>
    public void SetMtu(string name, int mtu) => _socket.Execute(LinkRequests.SetMtu(new NetlinkRequest(), name, mtu));

    /// <summary><c>ip link set NAME name NEWNAME</c></summary>
    public void Rename(string name, string newName) => _socket.Execute(LinkRequests.Rename(new NetlinkRequest(), Get(name).Index, newName));

    /// <summary><c>ip link set NAME netns NS</c></summary>
    public void MoveToNamespace(string name, NetworkNamespace target) => _socket.Execute(LinkRequests.MoveToNamespace(new NetlinkRequest(), name, target));

    /// <summary><c>ip link set NAME alias TEXT</c> (an empty text removes it)</summary>
    public void SetAlias(string name, string alias) => SetAlias(Get(name).Index, name, alias);

    /// <summary><c>ip link set NAME alias TEXT</c>, by the link's index</summary>
    public void SetAlias(int index, string name, string alias) => _socket.Execute(LinkRequests.SetAlias(new NetlinkRequest(), index, name, alias));

    /// <summary><c>ip link set NAME alias TEXT</c> for each of <paramref name="links"/>, in one send</summary>
    public void SetAlias(IEnumerable<Link> links, string alias)
    {
        var request = new NetlinkRequest();
        foreach (var link in links)
        {
            LinkRequests.SetAlias(request, link.Index, link.Name, alias);
        }

        _socket.Execute(request);
    }

    /// <summary><c>bridge link set dev NAME isolated on|off learning on|off neigh_suppress on|off</c> (null leaves a flag as it is)</summary>
    public void SetBridgePort(string name, bool? isolated = null, bool? learning = null, bool? neighSuppress = null)
        => _socket.Execute(LinkRequests.SetBridgePort(new NetlinkRequest(), Get(name).Index, name, isolated, learning, neighSuppress));

    /// <summary><c>ip link show NAME</c>. Throws <see cref="LinkNotFoundException"/> when there is no such link.</summary>
    public Link Get(string name, bool withStatistics = false)
    {
        Link? link = null;
        _socket.Execute(LinkRequests.Get(new NetlinkRequest(), name, withStatistics), message => link = LinkRequests.Parse(message));
        return link ?? throw new LinkNotFoundException((int)Errno.ENODEV, $"ip link show {name}", name, null);
    }

    /// <summary><c>ip link show NAME</c>, null when there is no such link.</summary>
    public Link? TryGet(string name, bool withStatistics = false)
    {
        try
        {
            return Get(name, withStatistics);
        }
        catch (LinkNotFoundException)
        {
            return null;
        }
    }

    /// <summary><c>ip -s link show NAME</c>: the link's 64-bit counters.</summary>
    public LinkStatistics GetStatistics(string name)
        => Get(name, withStatistics: true).Statistics ?? throw new KernelException((int)Errno.ENODATA, $"ip -s link show {name}", name, "no IFLA_STATS64 in the reply");

    /// <summary><c>ip link show</c>: every link in the namespace.</summary>
    public IReadOnlyList<Link> List(bool withStatistics = false)
        => _socket.Dump(() => LinkRequests.List(new NetlinkRequest(), withStatistics), message => LinkRequests.Parse(message));
}
