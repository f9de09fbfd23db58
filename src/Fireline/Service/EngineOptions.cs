using Fireline.Errors;
using Fireline.Linux.Namespaces;
using Fireline.Metrics;
using Fireline.Tuning;

namespace Fireline.Service;

/// <summary>How to open the engine: where its state lives and which namespace is the host.</summary>
public sealed record EngineOptions
{
    public required string StateDirectory { get; init; }

    /// <summary>
    /// The host namespace by name (under /var/run/netns) or path, opened and closed by the engine; null, with no
    /// <see cref="HostNamespace"/>: the process's own. A wrong one is bad input (<see cref="DomainErrors.NoHostNamespace"/>).
    /// </summary>
    public string? HostNamespaceName { get; init; }

    /// <summary>The host namespace, already open (a test's or the demo's own host); the engine does not dispose it.</summary>
    public NetworkNamespace? HostNamespace { get; init; }

    /// <summary>Where VM namespaces are mounted (machine-wide, what the jailer's --netns takes).</summary>
    public string NetnsDirectory { get; init; } = NetworkNamespace.DefaultRunDirectory;

    /// <summary>Who holds the state lock: "cli" (waits for other CLI calls briefly) or "daemon".</summary>
    public string LockHolder { get; init; } = "cli";

    /// <summary>How long a CLI call waits for another CLI call holding the state directory.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where operation metrics are recorded (the daemon's registry); null: not recorded, at no cost. Scrapes
    /// (<see cref="IMetricsEndpoint"/>) work either way.
    /// </summary>
    public FirelineMetrics? Metrics { get; init; }

    /// <summary>Cluster mode: the address blocks this node hands out from (<see cref="Cluster.ClusterBlocks"/>); null: single-host mode.</summary>
    public Ipam.IAddressBlocks? AddressBlocks { get; init; }

    /// <summary>
    /// How long a network above half its warm pool waits after its last create or delete before it is refilled
    /// (<see cref="Vms.WarmPool"/>); longer in tests that check what a churn does to the pool.
    /// </summary>
    public TimeSpan PoolQuietPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The sysfs root SR-IOV functions are discovered under; a constructed tree in tests.</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>
    /// Where <c>host tune --write</c> puts its file: always <see cref="TuningFile.SystemDirectory"/> in the CLI and
    /// the daemon (neither takes a path from a caller); a temporary directory in tests.
    /// </summary>
    public string SysctlDirectory { get; init; } = TuningFile.SystemDirectory;

    /// <summary>Cluster mode: this node (its name and underlay address), whose cross-node data path the engine converges (<see cref="FirelineEngine.ConvergeCluster"/>).</summary>
    public Cluster.ClusterOptions? Cluster { get; init; }

    /// <summary>Cluster mode: where created and deleted VMs are published as endpoints (<see cref="Cluster.ClusterEndpoints"/>).</summary>
    public Cluster.IVmEndpoints? Endpoints { get; init; }

    /// <summary>Cluster mode: where network changes are defined for every node (<see cref="Cluster.ClusterNetworks"/>); null: networks are this host's.</summary>
    public Cluster.INetworkDefinitions? NetworkDefinitions { get; init; }
}
