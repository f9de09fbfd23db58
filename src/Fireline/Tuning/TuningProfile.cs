namespace Fireline.Tuning;

/// <summary>
/// The design document's "Network Performance Tuning" sysctls, and what a host of thousands of VMs needs on top:
/// a neighbour table that holds one entry per VM talking to its gateway, a conntrack table for every VM's
/// flows, and a backlog deep enough for thousands of veth/TAP queues feeding the CPUs. Scopes checked on this
/// kernel (6.18): a key marked machine-wide is read-only or absent in a child namespace.
/// </summary>
public static class TuningProfile
{
    public static IReadOnlyList<SysctlTarget> Targets { get; } =
    [
        new("net.core.rmem_max", "134217728", SysctlScope.Machine, "largest socket receive buffer (design document)"),
        new("net.core.wmem_max", "134217728", SysctlScope.Machine, "largest socket send buffer (design document)"),
        new("net.ipv4.tcp_rmem", "4096 87380 134217728", SysctlScope.Namespace, "TCP receive buffer min/default/max (design document)"),
        new("net.ipv4.tcp_wmem", "4096 65536 134217728", SysctlScope.Namespace, "TCP send buffer min/default/max (design document)"),
        new("net.ipv4.tcp_fastopen", "3", SysctlScope.Namespace, "TCP Fast Open as client and server (design document)") { Bits = true },
        new("net.core.netdev_budget", "600", SysctlScope.Machine, "packets a CPU processes per softirq round (design document)"),
        new("net.core.netdev_max_backlog", "16384", SysctlScope.Machine,
            "per-CPU input queue: every veth and TAP frame passes it; the design document's 5,000 drops bursts of thousands of VMs"),
        new("net.core.rps_sock_flow_entries", "32768", SysctlScope.Machine, "receive flow steering table (design document)"),
        new("net.ipv4.neigh.default.gc_thresh1", "16384", SysctlScope.Machine, "neighbour entries never garbage-collected: one per VM talking to its gateway, 10,000 VMs and room"),
        new("net.ipv4.neigh.default.gc_thresh2", "32768", SysctlScope.Machine, "neighbour entries before garbage collection gets aggressive"),
        new("net.ipv4.neigh.default.gc_thresh3", "65536", SysctlScope.Machine, "hard neighbour limit (default 1,024: 'neighbour table overflow' near 1,000 VMs)"),
        new("net.ipv6.neigh.default.gc_thresh1", "16384", SysctlScope.Machine, "the same for dual-stack VMs' NDP entries"),
        new("net.ipv6.neigh.default.gc_thresh2", "32768", SysctlScope.Machine, "NDP entries before garbage collection gets aggressive"),
        new("net.ipv6.neigh.default.gc_thresh3", "65536", SysctlScope.Machine, "hard NDP limit (default 1,024)"),
        new("net.netfilter.nf_conntrack_max", "1048576", SysctlScope.Machine, "tracked connections: every VM's NATed and policed flows, ~100 each for 10,000 VMs"),
        new("net.netfilter.nf_conntrack_buckets", "262144", SysctlScope.Machine,
            "conntrack hash buckets: 4 entries a bucket at the limit above (the default follows memory: 65,536 up to 4 GB, where a full table walks chains of 16)"),
        new("net.core.somaxconn", "4096", SysctlScope.Namespace, "listen backlog of the daemon's socket under many concurrent clients"),
    ];
}
