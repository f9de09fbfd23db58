using System.Diagnostics;

namespace Fireline.Faults;

/// <summary>
/// Crash-injection points for the fault tests. When the environment variable <c>FIRELINE_FAULT</c> names a
/// point (e.g. <c>create.veth</c>), the process kills itself with SIGKILL on reaching it, exactly as a
/// kill -9 at that instant would. Unset (always, outside tests), a point costs one string comparison.
/// </summary>
public static class FaultPoints
{
    public const string Variable = "FIRELINE_FAULT";

    /// <summary>Points on the create path, in order.</summary>
    public static readonly IReadOnlyList<string> Create =
        ["create.intent", "create.firewall", "create.namespace", "create.veth", "create.datapath", "create.commit"];

    /// <summary>Points on the delete path, in order.</summary>
    public static readonly IReadOnlyList<string> Delete =
        ["delete.intent", "delete.veth", "delete.namespace", "delete.firewall", "delete.commit"];

    /// <summary>Points of the warm pool: filling a slot, a create taking one, a delete giving one back, its scrub.</summary>
    public static readonly IReadOnlyList<string> Pool =
        ["pool.fill.namespace", "pool.fill.commit", "pool.acquire.intent", "pool.acquire.alias", "pool.acquire.commit", "pool.release.intent", "pool.scrub.commit"];

    /// <summary>A network's further segment bridge made and marked, before its addresses, routes and proxy ARP.</summary>
    public const string SegmentCreate = "segment.create";

    /// <summary>After a CNI DEL answered and before its devices are removed (<c>VmNetworks.FinishTeardowns</c>).</summary>
    public const string DeleteDeferred = "delete.deferred";

    private static readonly string? Armed = Environment.GetEnvironmentVariable(Variable);

    public static void Hit(string point)
    {
        if (Armed is not null && string.Equals(Armed, point, StringComparison.Ordinal))
        {
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }
    }
}
