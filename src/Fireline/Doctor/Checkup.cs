using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Firewall;
using Fireline.Host;
using Fireline.Kernel;
using Fireline.Linux.Rtnetlink;
using Fireline.Policy;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Doctor;

/// <summary>
/// <c>fireline doctor</c>: the design document's troubleshooting checklist ("Common Issues and Solutions"), run
/// rather than printed. Each check reads the kernel the way the datapath uses it (netlink, nftables, sysctls
/// in the host namespace and inside each VM's namespace) and, when it fails, names the command that fixes it.
/// It changes nothing but the neighbour entry a ping to a running guest refreshes.
/// </summary>
public sealed partial class Checkup(IStateStore store, HostKernel kernel, HostDatapath host, HostFirewall firewall, WarmPool warmPool)
{
    private const string Reconcile = "fireline reconcile";
    private const string HostScope = "host";

    /// <summary>The host's checks, then every VM's, or only <paramref name="vmId"/>'s.</summary>
    public DoctorReport Run(string? vmId)
    {
        VmState? only = null;
        if (vmId is not null)
        {
            var id = VmId.Parse(vmId);
            only = store.GetVm(id) ?? throw DomainErrors.VmNotFound(id.Value);
        }

        var checks = new List<DoctorCheck>();
        var state = store.GetHost();
        if (state is null)
        {
            checks.Add(Fail(HostScope, "host-initialized", "the host is not initialized: no network, no NAT, no firewall", "fireline host init"));
            return new DoctorReport(checks);
        }

        var links = host.Links().ToDictionary(l => l.Name, StringComparer.Ordinal);
        var firewallPresent = CheckHost(state, links, checks);
        var elements = firewallPresent ? AntiSpoofing.Read(firewall) : null;
        var networks = store.ListNetworks().ToDictionary(n => n.Name, n => n.Spec, StringComparer.Ordinal);
        var vfs = store.ListVfs().ToDictionary(v => v.VmId);
        foreach (var vm in only is null ? store.ListVms() : [only])
        {
            CheckVm(vm, networks[vm.Network], vfs.GetValueOrDefault(vm.VmId), links, elements, checks);
        }

        return new DoctorReport(checks);
    }

    private static DoctorCheck Pass(string scope, string check, string detail)
        => new() { Scope = scope, Check = check, Status = CheckStatus.Pass, Detail = detail };

    private static DoctorCheck Fail(string scope, string check, string detail, string fix)
        => new() { Scope = scope, Check = check, Status = CheckStatus.Fail, Detail = detail, Fix = fix };

    private static DoctorCheck Info(string scope, string check, string detail)
        => new() { Scope = scope, Check = check, Status = CheckStatus.Info, Detail = detail };

    /// <summary>The anti-spoofing elements in the kernel, read once per run: port -> MACs, port -> (MAC, IPv4).</summary>
    private sealed record AntiSpoofing(ILookup<string, string> Macs, ILookup<string, (string Mac, string Address)> Addresses)
    {
        public static AntiSpoofing Read(HostFirewall firewall) => new(
            firewall.VmMacElements().ToLookup(e => e.Port, e => e.Mac.ToString(), StringComparer.Ordinal),
            firewall.VmIpv4Elements().ToLookup(e => e.Port, e => (e.Mac.ToString(), e.Address.ToString()), StringComparer.Ordinal));
    }
}
