namespace Fireline.Linux;

/// <summary>What a kernel operation acted on; decides which typed exception an errno becomes.</summary>
public enum KernelObjectKind
{
    Other,
    Link,
    Address,
    Route,
    Neighbour,

    /// <summary>A bridge or VXLAN forwarding-database entry (<c>bridge fdb</c>).</summary>
    FdbEntry,
    Namespace,
    TrafficControl,
    Sysctl,
    Conntrack,
    TunTap,
    Nftables,
    NamespaceId,
    Socket,
}
