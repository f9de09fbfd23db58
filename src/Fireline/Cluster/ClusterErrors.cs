using System.Globalization;
using Fireline.Errors;

namespace Fireline.Cluster;

/// <summary>The cluster's domain errors, each code spelled once.</summary>
public static class ClusterErrors
{
    public const string UnavailableCode = "cluster-unavailable";

    /// <summary>etcd did not answer (no member reachable, no quorum, or the deadline passed): nothing was changed.</summary>
    public static FirelineException Unavailable(string what, Exception cause)
        => new(ErrorKind.Unavailable, UnavailableCode, $"the cluster's etcd is unavailable ({what}): {cause.GetType().Name}: {cause.Message}", cause);

    /// <summary>
    /// This node has not heard from etcd for as long as other nodes wait before they reclaim a gone node's blocks: its
    /// blocks may be another node's by now, so it hands out no address until its lease is confirmed again.
    /// </summary>
    public static FirelineException LeaseUnconfirmed(TimeSpan age)
        => new(ErrorKind.Unavailable, UnavailableCode,
            string.Create(CultureInfo.InvariantCulture,
                $"the cluster's etcd is unavailable: this node's lease was last confirmed {age.TotalSeconds:F0} s ago, so other nodes may have reclaimed its address blocks; creating resumes once etcd answers"));

    /// <summary>A live node already holds this name: two daemons under one name would hand out each other's addresses.</summary>
    public static FirelineException NodeNameInUse(string node, string underlay)
        => new(ErrorKind.Conflict, "node-name-in-use",
            $"node '{node}' is live in the cluster already (underlay {underlay}); give this daemon another --node, or stop the other one") { Field = "node" };

    /// <summary>Every VXLAN id a network's name may take (the one it derives and the next ones) is another network's.</summary>
    public static FirelineException VniExhausted(string network, int probes)
        => new(ErrorKind.Exhausted, "vni-exhausted", $"network '{network}': the {probes} VXLAN ids from the one its name gives are all other networks'") { Field = "network" };

    /// <summary>A link of a VXLAN device's name exists and is not this instance's: it is never used or changed.</summary>
    public static FirelineException DeviceInUse(string name)
        => new(ErrorKind.Conflict, "device-in-use", $"the link '{name}' (a network's VXLAN device) exists and carries no mark of this Fireline instance");

    /// <summary>Cluster commands on a host that runs without a cluster.</summary>
    public static FirelineException NotClustered()
        => new(ErrorKind.NotFound, "cluster-not-configured",
            "this Fireline runs in single-host mode: no cluster is configured (serve --cluster-etcd/--node/--underlay-address, or cluster: in the configuration file)");
}
