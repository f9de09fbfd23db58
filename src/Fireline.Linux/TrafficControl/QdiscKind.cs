using Fireline.Linux.Netlink;

namespace Fireline.Linux.TrafficControl;

/// <summary>
/// A kind of queueing discipline (TCA_KIND): where it attaches, its handle, and its TCA_OPTIONS. Each kind
/// encodes its own options; there is no switch over kinds.
/// </summary>
public abstract class QdiscKind
{
    /// <summary>The kernel's name for the kind: "ingress", "tbf", "htb".</summary>
    public abstract string Kind { get; }

    /// <summary>Where the qdisc attaches: the device's root unless the kind says otherwise.</summary>
    public virtual TcHandle Parent => TcHandle.Root;

    /// <summary>The qdisc's own handle; zero lets the kernel pick one.</summary>
    public virtual TcHandle Handle => default;

    /// <summary>Writes TCA_OPTIONS; kinds without options write nothing.</summary>
    internal virtual void WriteOptions(NetlinkRequest request)
    {
    }

    /// <summary>The arguments after <c>dev NAME</c> in the equivalent <c>tc qdisc add</c>, for error messages.</summary>
    internal abstract string Describe();
}
