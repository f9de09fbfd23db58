using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Firewall;
using Fireline.Host;
using Fireline.Ipam;
using Fireline.Linux;
using Fireline.Policy;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Networks;

/// <summary>
/// Declarative networks: <c>network apply -f FILE [--dry-run] [--prune]</c>, list, show, delete. A file is
/// validated whole before anything changes (an invalid file changes nothing at all); then bridges are ensured
/// and the firewall is rebuilt in one transaction. Applying the same file twice changes nothing.
/// </summary>
public sealed class NetworkService(IStateStore store, NetworkPools pools, WarmPool warmPool, HostDatapath host, HostFirewall firewall, NetworkValidator validator)
{
    public NetworkPlan Apply(NetworkFile file, bool dryRun, bool prune)
    {
        var hostState = store.GetHost() ?? throw DomainErrors.HostNotInitialized();
        var wanted = file.Networks;
        var current = store.ListNetworks().ToDictionary(n => n.Name, StringComparer.Ordinal);
        var changes = new List<NetworkChange>();
        var pruned = prune ? current.Keys.Where(name => wanted.All(w => w.Name != name)).ToList() : [];
        validator.CheckAgainstHost(wanted, pruned, dryRun, file.Field);
        foreach (var (index, spec) in wanted.Index())
        {
            host.RequireOwnBridge(spec, Claims(current, spec));
            if (spec.Vlan is { } vlan)
            {
                host.RequireOwnVlan(vlan, file.Field(index, "vlan"));
            }
        }

        foreach (var spec in wanted)
        {
            var action = !current.TryGetValue(spec.Name, out var existing) ? "create" : existing.Spec == spec ? "unchanged" : "update";
            changes.Add(new NetworkChange(spec.Name, action, Describe(spec)));
        }

        changes.AddRange(pruned.Select(name => new NetworkChange(name, "delete", [$"bridge {current[name].Spec.Bridge} removed"])));
        var firewallText = FirewallText.Describe(hostState, wanted);
        if (dryRun || changes.All(c => c.Action == "unchanged"))
        {
            // Unchanged networks still get their bridge and firewall checked: apply is also a repair.
            if (!dryRun)
            {
                EnsureKernel(hostState, wanted, [], current);
            }

            return new NetworkPlan { DryRun = dryRun, Changes = changes, Firewall = firewallText };
        }

        var changed = wanted.Where(s => changes.Single(c => c.Network == s.Name).Action != "unchanged").ToList();
        var removed = pruned.Select(name => current[name].Spec).ToList();
        // Moved: no VM uses them (validated); the old bridge goes, the network starts over with its new subnet.
        var moved = changed.Where(s => current.TryGetValue(s.Name, out var old) && (old.Spec.Subnet != s.Subnet || old.Spec.Bridge != s.Bridge))
            .Select(s => current[s.Name].Spec).ToList();
        foreach (var old in moved.Concat(removed))
        {
            warmPool.Drain(old.Name); // no VM uses them, but their slots hold addresses and bridge ports
        }

        foreach (var old in moved.Where(o => changed.Single(s => s.Name == o.Name).Bridge == o.Bridge))
        {
            host.DeleteBridge(old); // made again with the new subnet's gateway, not beside the old one
        }

        EnsureKernel(hostState, wanted, removed, current);
        foreach (var old in moved)
        {
            store.DeleteNetwork(old.Name);
            pools.Remove(old.Name);
            if (changed.Single(s => s.Name == old.Name).Bridge != old.Bridge)
            {
                host.DeleteBridge(old);
            }
        }

        foreach (var spec in changed)
        {
            store.SaveNetwork(spec, AddressPool.InitialCursor(spec.Subnet));
            pools.Add(spec.Name, spec.Subnet);
        }

        return new NetworkPlan { DryRun = false, Changes = changes, Firewall = firewallText };
    }

    public IReadOnlyList<NetworkView> List()
    {
        return [.. store.ListNetworks().Select(n => View(n.Spec, pools.Leased(n.Name)))];
    }

    public NetworkView Show(string name)
    {
        var network = store.GetNetwork(name) ?? throw DomainErrors.NetworkNotFound(name);
        return View(network.Spec, pools.Leased(name));
    }

    /// <summary><c>network delete NAME</c>: refused while VMs use it; removes bridge, firewall chains and record.</summary>
    public NetworkView Delete(string name)
    {
        var network = RequireUnused(name);
        warmPool.Drain(name);

        EnsureKernel(store.GetHost() ?? throw DomainErrors.HostNotInitialized(), [], [network.Spec], store.ListNetworks().ToDictionary(n => n.Name, StringComparer.Ordinal));
        return View(network.Spec, 0);
    }

    /// <summary>The network, when it exists and no VM of this host uses it: what a delete needs.</summary>
    public NetworkState RequireUnused(string name)
    {
        var network = store.GetNetwork(name) ?? throw DomainErrors.NetworkNotFound(name);
        var vms = pools.Leased(name);
        return vms > 0 ? throw DomainErrors.Conflict($"network '{name}' is used by {vms} VM(s); delete them first", "network") : network;
    }

    /// <summary>
    /// The kernel first, the records after: bridges of the wanted networks, then the firewall for the networks as
    /// they will be (one transaction), then the removed networks' bridges and records (removed from the firewall
    /// first, so no rule points at a missing network). When the kernel refuses, the bridges this call made are
    /// removed again and no record changes: the store and the kernel are as they were. A bridge is claimed when
    /// the records before this operation (<paramref name="before"/>) gave its network that bridge.
    /// </summary>
    private void EnsureKernel(HostState hostState, IReadOnlyList<NetworkSpec> wanted, IReadOnlyList<NetworkSpec> removed,
        IReadOnlyDictionary<string, NetworkState> before)
    {
        var made = new List<NetworkSpec>();
        var madeVlans = new List<int>();
        var after = before.Values.Select(n => n.Spec).Where(s => removed.All(r => r.Name != s.Name) && wanted.All(w => w.Name != s.Name))
            .Concat(wanted).ToList();
        try
        {
            host.EnsureForwarding(after.Any(n => n.Ipv6 is not null));
            foreach (var spec in wanted)
            {
                var existed = host.FindBridge(spec) is not null;
                var bridge = host.EnsureBridge(spec, Claims(before, spec));
                if (!existed)
                {
                    made.Add(spec);
                }

                if (spec.Vlan is { } vlan && host.FindVlan(vlan) is null)
                {
                    madeVlans.Add(vlan);
                }

                if (spec.Vlan is not null)
                {
                    host.EnsureVlan(spec, hostState.Uplink!, bridge.Index, up: false); // the validator refuses a vlan without an uplink
                }
            }

            firewall.Ensure(hostState, after);
            foreach (var spec in wanted.Where(s => s.Vlan is not null))
            {
                host.EnsureVlan(spec, hostState.Uplink!, host.FindBridge(spec)!.Index);
            }
        }
        catch (KernelException error)
        {
            foreach (var vlan in madeVlans)
            {
                host.DeleteVlan(vlan);
            }

            foreach (var spec in made)
            {
                host.DeleteBridge(spec);
            }

            throw DomainErrors.Kernel("applying networks (nothing was changed)", error);
        }

        // VLAN ids no network uses any more (removed, or changed to another id) go with their devices.
        var kept = after.Select(n => n.Vlan).OfType<int>().ToHashSet();
        foreach (var vlan in before.Values.Select(n => n.Spec.Vlan).OfType<int>().Where(v => !kept.Contains(v)))
        {
            host.DeleteVlan(vlan);
        }

        foreach (var spec in removed)
        {
            // A bridge that is not this instance's stays: the network goes, someone else's device does not.
            host.DeleteBridge(spec);
            store.DeleteNetwork(spec.Name);
            pools.Remove(spec.Name);
        }
    }

    /// <summary>Whether the records <paramref name="before"/> gave the network this bridge already.</summary>
    private static bool Claims(IReadOnlyDictionary<string, NetworkState> before, NetworkSpec spec)
        => before.TryGetValue(spec.Name, out var recorded) && recorded.Spec.Bridge == spec.Bridge;

    private static List<string> Describe(NetworkSpec spec)
    {
        var subnet = spec.Subnet;
        var details = new List<string>
        {
            spec.GatewayOutside
                ? $"subnet {subnet} on bridge {spec.Bridge}, gateway {Ipv4Network.Format(subnet.Gateway)} outside the host (on the VLAN; the bridge holds no address), {NetworkSegments.VmCapacity(subnet)} VM addresses"
                : $"subnet {subnet}, gateway {Ipv4Network.Format(subnet.Gateway)} on bridge {spec.Bridge}, {NetworkSegments.VmCapacity(subnet)} VM addresses",
            spec.Nat ? "masquerade out of the uplink" : "no NAT",
        };
        if (NetworkSegments.Count(subnet) is > 1 and var segments)
        {
            details.Add($"{segments} segments of {NetworkSegments.Size} addresses: {spec.Bridge} and bridges {NetworkSegments.Prefix(spec.Bridge)}1-{segments - 1} " +
                        "(each made when a VM first needs it), joined by the host's routes and proxy ARP");
        }

        if (spec.Ipv6 is { } ipv6)
        {
            details.Add($"dual stack: IPv6 {ipv6}, gateway {ipv6.Gateway}");
            if (NetworkSegments.Count(subnet) > 1)
            {
                details.Add("IPv6 reaches the gateway from every segment, but not a VM of another segment (only IPv4 crosses segments)");
            }
        }

        if (spec.Vlan is { } vlan)
        {
            details.Add($"802.1Q vlan {vlan} on the uplink");
        }

        details.AddRange(spec.Policies.Select(r => $"{r.Direction.ToString().ToLowerInvariant()} {r.Name}: {r.Action.ToString().ToLowerInvariant()} " +
            $"{r.Protocol ?? "any protocol"}{(r.PortFrom is { } p ? $" port {p}{(r.PortTo != p ? $"-{r.PortTo}" : "")}" : "")}" +
            $"{(r.Source is { } s ? $" from {s}" : "")}{(r.Destination is { } d ? $" to {d}" : "")}"));
        details.Add($"default: ingress {spec.DefaultIngress.ToString().ToLowerInvariant()}, egress {spec.DefaultEgress.ToString().ToLowerInvariant()}");
        return details;
    }

    private NetworkView View(NetworkSpec spec, int vms)
    {
        var subnet = spec.Subnet;
        return new NetworkView
        {
            Name = spec.Name,
            Subnet = subnet.ToString(),
            Gateway = Ipv4Network.Format(subnet.Gateway),
            Bridge = spec.Bridge,
            Ipv6 = spec.Ipv6?.ToString(),
            Vlan = spec.Vlan,
            GatewayOutside = spec.GatewayOutside,
            Nat = spec.Nat,
            Dns = spec.Dns,
            DefaultIngress = spec.DefaultIngress,
            DefaultEgress = spec.DefaultEgress,
            RateLimiter = spec.RateLimiter == RateLimiterKind.Tc ? "tc" : "firecracker",
            Metadata = spec.Metadata,
            Policies = spec.Policies,
            Vms = vms,
            Capacity = NetworkSegments.VmCapacity(subnet),
            Pool = new PoolView(spec.Pool, warmPool.Ready(spec.Name)),
        };
    }
}
