using System.Globalization;
using System.Text;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Engine;

/// <summary>
/// Issue 11's scale: one host holding 10,000 VMs. Nothing the engine keeps per VM may hold a descriptor (a
/// namespace, a TAP, a socket): a process near 1,024 or 20,000 descriptors is one ulimit away from failing every
/// operation. So the process's open descriptors at 10,000 VMs stay within a bound that does not depend on the
/// count, and creating, deleting and changing a policy still work at that size. Ten networks: a bridge takes at
/// most 1,023 ports. In-process, four creates at a time: about nine minutes on a quiet two-core machine (most of it the kernel
/// creating and then freeing 10,000 namespaces).
/// </summary>
[Trait("Category", Categories.Scale)]
public sealed class TenThousandVmsTests : IDisposable
{
    private const int Networks = 10;
    private const int VmsPerNetwork = 1000;

    /// <summary>
    /// What the process may open beyond what it held with one VM per network: the engine's idle netlink
    /// connections (at most 16 per pool) and the runtime's own; a descriptor per VM would be 10,000 more.
    /// </summary>
    private const int DescriptorAllowance = 64;

    private static readonly ParallelOptions Four = new() { MaxDegreeOfParallelism = 4 };
    private readonly EngineHost _env = new();

    [Fact]
    public void Ten_thousand_vms_hold_no_descriptor_each_and_create_delete_and_policy_change_still_work()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _env.Engine.ApplyNetworks(NetworksYaml(extraRule: false), dryRun: false, prune: false);
        var ids = Enumerable.Range(0, Networks * VmsPerNetwork).Select(i => _env.Host.VmId(string.Create(CultureInfo.InvariantCulture, $"t{i}"))).ToList();
        Parallel.ForEach(ids.Take(Networks), Four, (id, _, i) => Create(id, (int)i));
        var baseline = OpenDescriptors();

        Parallel.ForEach(ids.Skip(Networks), Four, (id, _, i) => Create(id, (int)i));

        Assert.Equal(Networks * VmsPerNetwork, _env.Engine.ListVms().Count);
        Assert.InRange(OpenDescriptors(), 0, baseline + DescriptorAllowance);

        var extra = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("extra"), Network = Network(0) });
        Assert.Contains(extra.HostVeth, _env.Host.InHost("nft", "list", "set", "bridge", "fireline", "vm_ipv4"), StringComparison.Ordinal);

        _env.Engine.ApplyNetworks(NetworksYaml(extraRule: true), dryRun: false, prune: false);
        Assert.Contains("tcp dport 8080 accept comment \"allow-8080\"", _env.Host.InHost("nft", "list", "table", "inet", "fireline"), StringComparison.Ordinal);

        _env.Engine.DeleteVm(extra.VmId);
        Assert.DoesNotContain(extra.HostVeth, _env.Host.InHost("nft", "list", "set", "bridge", "fireline", "vm_ipv4"), StringComparison.Ordinal);
        Assert.DoesNotContain(Ip.Links(_env.Host.HostNamespaceName), l => l.GetProperty("ifname").GetString() == extra.HostVeth);
        Assert.InRange(OpenDescriptors(), 0, baseline + DescriptorAllowance);

        Parallel.ForEach(ids, Four, id => _env.Engine.DeleteVm(id));
        Assert.Empty(_env.Engine.ListVms());
    }

    private void Create(string id, int index)
        => _env.Engine.CreateVm(new VmCreateRequest { VmId = id, Network = Network(index % Networks) });

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    private static string Network(int n) => string.Create(CultureInfo.InvariantCulture, $"tk{n}");

    /// <summary>Ten /22 networks (1,021 VM addresses each), the first allowing HTTP in, with one more rule when <paramref name="extraRule"/>.</summary>
    private static string NetworksYaml(bool extraRule)
    {
        var text = new StringBuilder("networks:\n");
        for (var n = 0; n < Networks; n++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - name: {Network(n)}\n    subnet: 10.130.{4 * n}.0/22\n");
            if (n == 0)
            {
                text.Append("    policies:\n      - {name: allow-http, direction: ingress, protocol: tcp, port: 80, action: allow}\n");
                if (extraRule)
                {
                    text.Append("      - {name: allow-8080, direction: ingress, protocol: tcp, port: 8080, action: allow}\n");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Whatever the test reached, its VMs go through the engine (one <c>ip netns del</c> each would take minutes).</summary>
    public void Dispose()
    {
        try
        {
            var left = _env.Engine.ListVms().Select(vm => vm.VmId).ToList();
            Parallel.ForEach(left, Four, id => _env.Engine.DeleteVm(id));
        }
        finally
        {
            _env.Dispose();
        }
    }
}
