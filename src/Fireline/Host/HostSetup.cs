using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Firewall;
using Fireline.Ipam;
using Fireline.Linux.Rtnetlink;
using Fireline.State;

namespace Fireline.Host;

/// <summary>
/// <c>fireline host init</c> and <c>host status</c>. Init is ensure-style throughout: every piece is checked
/// and only what is missing or different is changed, so a second run changes nothing.
/// </summary>
public sealed class HostSetup(IStateStore store, NetworkPools pools, HostDatapath host, HostFirewall firewall)
{
    public const string DefaultNetwork = "default";

    public HostStatus Init(HostInitRequest request)
    {
        if (!Ipv4Network.TryParse(request.Subnet, out var subnet, out var subnetError))
        {
            throw DomainErrors.InvalidInput("subnet", $"--subnet: {subnetError}");
        }

        if (subnet.PrefixLength > 30)
        {
            throw DomainErrors.InvalidInput("subnet", $"--subnet: {subnet} has room for no VM (use a prefix of /30 or shorter)");
        }

        if (!LinkName.IsValid(request.Bridge))
        {
            throw DomainErrors.InvalidInput("bridge", $"--bridge: '{request.Bridge}' is not an interface name (1-15 bytes, no '/', ':' or space)");
        }

        string? ipv6 = null;
        if (request.Ipv6Prefix is { } prefixText)
        {
            ipv6 = Ipv6Prefix.TryParse(prefixText, out var prefix, out var prefixError)
                ? prefix.ToString()
                : throw DomainErrors.InvalidInput("ipv6Prefix", $"--ipv6-prefix: {prefixError}");
        }

        // NAT needs an uplink; without NAT one is only used when named or found (port forwards arrive on it).
        var uplink = request.Uplink ?? (request.Nat ? host.DetectUplink() : host.TryDetectUplink());
        if (uplink is not null)
        {
            host.RequireLink(uplink, "uplink");
        }

        var existing = store.GetNetwork(DefaultNetwork);
        // A default network refined later (network apply: policies, DNS) keeps all of that: init changes only its own options.
        var spec = (existing?.Spec ?? new NetworkSpec { Name = DefaultNetwork, Subnet = subnet.ToString(), Bridge = request.Bridge })
            with { Nat = request.Nat, Ipv6 = ipv6 ?? existing?.Spec.Ipv6 };
        if (existing is not null && (existing.Spec.Subnet != subnet.ToString() || existing.Spec.Bridge != request.Bridge))
        {
            throw DomainErrors.Conflict(
                $"the default network exists as {existing.Spec.Subnet} on {existing.Spec.Bridge}; it cannot become {subnet} on {request.Bridge} (delete its VMs and the network first)", "subnet");
        }

        if (existing?.Spec.Ipv6 is { } current && current != spec.Ipv6 && store.ListVms().Any(v => v.Network == DefaultNetwork && v.Options.Ipv6))
        {
            throw DomainErrors.Conflict($"the default network's IPv6 prefix {current} is in use by VMs; it cannot become {spec.Ipv6}", "ipv6Prefix");
        }

        var overlap = store.ListNetworks().FirstOrDefault(n => n.Name != DefaultNetwork && Ipv4Network.Parse(n.Spec.Subnet).Overlaps(subnet));
        if (overlap is not null)
        {
            throw DomainErrors.Conflict($"--subnet {subnet} overlaps network '{overlap.Name}' ({overlap.Spec.Subnet})", "subnet");
        }

        // A recorded default network claims its bridge; a new one may only take a bridge this instance made.
        host.RequireOwnBridge(spec, claimed: existing is not null);
        var state = new HostState(uplink, request.Nat);
        host.EnsureForwarding(spec.Ipv6 is not null || store.ListNetworks().Any(n => n.Spec.Ipv6 is not null));
        host.EnsureBridge(spec, claimed: existing is not null);
        if (existing is null || existing.Spec != spec)
        {
            store.SaveNetwork(spec, AddressPool.InitialCursor(subnet));
            pools.Add(DefaultNetwork, subnet);
        }

        if (store.GetHost() != state)
        {
            store.SaveHost(state);
        }

        firewall.Ensure(state, [.. store.ListNetworks().Select(n => n.Spec)]);
        return Status();
    }

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
            Networks = [.. store.ListNetworks().Select(n =>
            {
                var subnet = Ipv4Network.Parse(n.Spec.Subnet);
                return new NetworkStatus
                {
                    Name = n.Name,
                    Subnet = n.Spec.Subnet,
                    Gateway = Ipv4Network.Format(subnet.Gateway),
                    Bridge = n.Spec.Bridge,
                    Ipv6 = n.Spec.Ipv6,
                    BridgeUp = links.TryGetValue(n.Spec.Bridge, out var bridge) && bridge.IsUp,
                    Nat = n.Spec.Nat,
                    Vms = pools.Get(n.Name).Leased,
                    Capacity = subnet.VmCapacity,
                };
            })],
        };
    }
}
