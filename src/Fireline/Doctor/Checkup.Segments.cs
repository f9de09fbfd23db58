using Fireline.Addressing;
using Fireline.Linux.Rtnetlink;
using Fireline.State;

namespace Fireline.Doctor;

/// <summary>A network's further segments (<see cref="NetworkSegments"/>): each that holds a VM or a pool slot is there.</summary>
public sealed partial class Checkup
{
    private DoctorCheck CheckSegments(NetworkSpec network, Dictionary<string, Link> links)
    {
        var scope = $"network {network.Name}";
        var used = store.ListVms().Where(v => v.Network == network.Name).Select(v => v.Address)
            .Concat(store.ListSlots().Where(s => s.Network == network.Name).Select(s => s.Address))
            .Select(a => NetworkSegments.Of(network.Subnet, a)).Where(k => k > 0).Distinct().Order().ToList();
        var ours = host.Segments(network, links.Values).Where(l => l.IsUp).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var broken = used.Select(k => NetworkSegments.Bridge(network.Bridge, k)).Where(name => !ours.Contains(name)).ToList();
        return broken.Count > 0
            ? Fail(scope, "segments", $"segment bridge(s) {string.Join(", ", broken)} missing, down or not this instance's: their VMs are cut off", Reconcile)
            : Pass(scope, "segments", $"{NetworkSegments.Count(network.Subnet)} segments of {NetworkSegments.Size} addresses; the {used.Count} beyond the first that hold VMs are up");
    }
}
