using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Firewall;
using Fireline.Ipam;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.Networks;
using Fireline.State;

namespace Fireline.Host;

/// <summary>
/// <c>fireline host init</c> and <c>host status</c>. Init is ensure-style throughout: every piece is checked
/// and only what is missing or different is changed, so a second run changes nothing.
/// </summary>
public sealed class HostSetup(IStateStore store, NetworkPools pools, HostDatapath host, HostFirewall firewall, NetworkValidator validator)
{
    public const string DefaultNetwork = "default";

    public HostStatus Init(HostInitRequest request)
    {
        if (request.Uplink is { } named && !SafeName.IsValid(named, LinkName.MaxBytes))
        {
            throw DomainErrors.InvalidInput("uplink", $"uplink {UserText.Quote(named)} is not an interface name Fireline takes: {SafeName.Rule(LinkName.MaxBytes)}");
        }

        var existing = store.GetNetwork(DefaultNetwork);
        var problems = new Problems();
        var (subnet, ipv6) = NetworkValidator.ParseAddresses($"network {UserText.Quote(DefaultNetwork)}", request.Subnet, request.Ipv6Prefix,
            (field, message) => problems.Add(Field(0, field), message)) ?? default;
        problems.ThrowIfAny();

        // A default network refined later (network apply: policies, DNS) keeps all of that: init changes only its own options.
        var requested = (existing?.Spec ?? new NetworkSpec { Name = DefaultNetwork, Subnet = subnet, Bridge = request.Bridge })
            with { Subnet = subnet, Bridge = request.Bridge, Nat = request.Nat, Ipv6 = ipv6 ?? existing?.Spec.Ipv6 };
        var spec = NetworkValidator.CheckValues([(0, requested)], Field, problems).Single();
        problems.ThrowIfAny();
        if (existing is not null && (existing.Spec.Subnet != spec.Subnet || existing.Spec.Bridge != spec.Bridge))
        {
            throw DomainErrors.Conflict(
                $"the default network exists as {existing.Spec.Subnet} on {existing.Spec.Bridge}; it cannot become {spec.Subnet} on {spec.Bridge} (delete its VMs and the network first)",
                existing.Spec.Subnet != spec.Subnet ? "subnet" : "bridge");
        }

        validator.CheckAgainstHost([spec], [], dryRun: false, Field);

        // NAT needs an uplink; without NAT one is only used when named or found (port forwards arrive on it).
        var uplink = request.Uplink ?? (request.Nat ? host.DetectUplink() : host.TryDetectUplink());
        if (uplink is not null)
        {
            host.RequireLink(uplink, "uplink");
        }

        // A recorded default network claims its bridge; a new one may only take a bridge this instance made.
        host.RequireOwnBridge(spec, claimed: existing is not null);
        var state = new HostState(uplink, request.Nat);
        // The kernel first, the records after: when the kernel refuses, neither changes (a bridge made here goes again).
        List<NetworkSpec> after = [.. store.ListNetworks().Select(n => n.Spec).Where(s => s.Name != DefaultNetwork), spec];
        var made = host.FindBridge(spec) is null;
        try
        {
            host.EnsureForwarding(after.Any(n => n.Ipv6 is not null));
            host.EnsureBridge(spec, claimed: existing is not null);
            firewall.Ensure(state, after);
        }
        catch (KernelException error)
        {
            if (made)
            {
                host.DeleteBridge(spec);
            }

            throw DomainErrors.Kernel("host init (nothing was changed)", error);
        }

        if (existing is null || existing.Spec != spec)
        {
            store.SaveNetwork(spec, AddressPool.InitialCursor(subnet));
            pools.Add(DefaultNetwork, subnet);
        }

        if (store.GetHost() != state)
        {
            store.SaveHost(state);
        }

        return Status();
    }

    /// <summary>How host init names the default network's fields: as its options (<c>subnet</c>, <c>ipv6Prefix</c>).</summary>
    private static string Field(int network, string field) => field == "ipv6" ? "ipv6Prefix" : field;

    public HostStatus Status()
    {
        var state = store.GetHost();
        if (state is null)
        {
            return new HostStatus { Initialized = false, Networks = [] };
        }

        var links = host.Links().ToDictionary(l => l.Name, StringComparer.Ordinal);
        return new HostStatus
        {
            Initialized = true,
            Uplink = state.Uplink,
            Nat = state.Nat,
            Forwarding = host.IsForwarding(),
            FirewallTable = firewall.IsPresent(),
            Networks = [.. store.ListNetworks().Select(n => new NetworkStatus
            {
                Name = n.Name,
                Subnet = n.Spec.Subnet.ToString(),
                Gateway = Ipv4Network.Format(n.Spec.Subnet.Gateway),
                Bridge = n.Spec.Bridge,
                Ipv6 = n.Spec.Ipv6?.ToString(),
                BridgeUp = links.TryGetValue(n.Spec.Bridge, out var bridge) && bridge.IsUp,
                Nat = n.Spec.Nat,
                Vms = pools.Get(n.Name).Leased,
                Capacity = NetworkSegments.VmCapacity(n.Spec.Subnet),
            })],
        };
    }
}
