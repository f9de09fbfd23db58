using System.Text.Json.Serialization;

namespace Fireline.Tuning;

/// <summary>Where a sysctl's value lives.</summary>
public enum SysctlScope
{
    /// <summary>Each network namespace has its own value: set in the host namespace, it affects that namespace only.</summary>
    [JsonStringEnumMemberName("namespace")]
    Namespace,

    /// <summary>
    /// One value for the whole machine. Child namespaces see it read-only (net.core.rmem_max) or not at all
    /// (net.core.netdev_max_backlog, the neighbour-table thresholds); only the machine's root namespace sets it.
    /// </summary>
    [JsonStringEnumMemberName("machine")]
    Machine,
}
