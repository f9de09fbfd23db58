using System.Globalization;
using Fireline.Networks;
using Fireline.Policy;

namespace Fireline.Benchmarks;

/// <summary>
/// Issue 15's benchmark: what setting one VM's own rules costs with 10 VMs on the host and with 4,000, every one of
/// them with rules of its own (two chains each, their addresses in the per-VM maps). Per size a
/// <see cref="FirewallHost"/> filled through the engine (<c>--networks</c> 5 networks of /22), then rounds that visit
/// every size in turn (<c>--warmup</c> untimed, then <c>--samples</c> timed), each timing three engine calls on the
/// host's probe VM, the way a caller makes them (<c>SetVmPolicies</c>: validation, the record, one nf_tables
/// transaction):
/// <list type="bullet">
/// <item><c>vm policy set</c>: rules for a VM that had none (its two chains, their rules, its map elements).</item>
/// <item><c>vm policy change</c>: other rules in their place (its chains' rules swapped, nothing else).</item>
/// <item><c>vm policy clear</c>: back to none (its elements and chains removed).</item>
/// </list>
/// Prints the latency table, the p50s side by side, and tab-separated lines starting with <c>vm-policy</c>.
/// </summary>
public static class VmPolicyBenchmark
{
    private const string Tag = "vm-policy";

    private static readonly IReadOnlyList<PolicyRule> First = VmPolicyDocument.ParseYaml("""
        policies:
          - {name: web, direction: ingress, protocol: tcp, port: 80, action: allow}
          - {name: no-smtp, direction: egress, protocol: tcp, port: 25, action: deny}
        """);

    private static readonly IReadOnlyList<PolicyRule> Second = VmPolicyDocument.ParseYaml("""
        policies:
          - {name: office, direction: ingress, protocol: tcp, port: 22, source: 203.0.113.0/24, action: allow}
          - {name: no-dns, direction: egress, protocol: udp, port: 53, action: deny}
          - {name: backup, direction: egress, protocol: tcp, port: 873, destination: 192.0.2.0/24, action: allow}
          - {name: rest, direction: ingress, action: deny}
        """);

    public static int Run(string[] args)
    {
        var sizes = Measure.Sizes(args, "10,4000");
        var samples = Measure.Option(args, "--samples", 200);
        var warmup = Measure.Option(args, "--warmup", 20);
        var networks = Measure.Option(args, "--networks", 5);
        var settle = TimeSpan.FromSeconds(Measure.Option(args, "--settle", 15.0));

        return FirewallBenchmark.OnHosts(Tag, sizes, settle, (size, stop) => FirewallHost.Open(size, networks, stop, i => i % 2 == 0 ? First : Second), (hosts, stop) =>
        {
            var timed = new List<(string Operation, int Size, List<double> Milliseconds)>();
            FirewallBenchmark.Rounds(hosts, warmup, samples, ["vm policy set", "vm policy change", "vm policy clear"], timed, stop, (host, _) =>
            {
                var engine = host.Env.Engine;
                var probe = host.Env.Host.VmId("probe");
                return
                [
                    Measure.Time(() => engine.SetVmPolicies(probe, First)),
                    Measure.Time(() => engine.SetVmPolicies(probe, Second)),
                    Measure.Time(() => engine.SetVmPolicies(probe, [])),
                ];
            });
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vm-policy: per-VM chains on the hosts: {string.Join(", ", hosts.Select(h => $"{h.Size} VMs: {h.Env.Engine.ListVms().Count(v => v.Policies.Count > 0) * 2}"))}"));
            FirewallBenchmark.Report(sizes, timed, Tag);
        });
    }
}
