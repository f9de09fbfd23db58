using System.Net.Sockets;
using Fireline.Addressing;
using Fireline.Host;
using Fireline.Linux.Rtnetlink;
using Fireline.Ownership;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Doctor;

/// <summary>The host's part of the checklist: sysctls, firewall and NAT, uplink, each network's bridge.</summary>
public sealed partial class Checkup
{
    /// <summary>Adds the host's checks; returns whether Fireline's nftables tables are present.</summary>
    private bool CheckHost(HostState state, Dictionary<string, Link> links, List<DoctorCheck> checks)
    {
        checks.Add(host.IsOn(HostDatapath.ForwardingKey)
            ? Pass(HostScope, "ip-forwarding", $"{HostDatapath.ForwardingKey} = 1")
            : Fail(HostScope, "ip-forwarding", $"{HostDatapath.ForwardingKey} is off: no VM traffic is routed beyond its bridge", Reconcile));
        checks.Add(host.IsOn(HostDatapath.BridgeNetfilterKey)
            ? Pass(HostScope, "bridge-netfilter", $"{HostDatapath.BridgeNetfilterKey} = 1")
            : Fail(HostScope, "bridge-netfilter", $"{HostDatapath.BridgeNetfilterKey} is off: traffic between VMs of one bridge bypasses the policies", Reconcile));

        var present = firewall.IsPresent();
        checks.Add(present
            ? Pass(HostScope, "firewall-tables", "nftables tables inet fireline and bridge fireline are present")
            : Fail(HostScope, "firewall-tables", "nftables table inet fireline or bridge fireline is missing: no NAT, isolation, policies or anti-spoofing", Reconcile));
        if (present)
        {
            var specs = store.ListNetworks().Select(n => n.Spec).ToList();
            checks.Add(firewall.IsIntact(state, specs)
                ? Pass(HostScope, "firewall-rules", $"every chain, rule and element of the {specs.Count} network(s) is as Fireline applied it")
                : Fail(HostScope, "firewall-rules", "Fireline's chains, rules or network elements differ from what it applied (changed by hand?)", Reconcile));
        }

        var natted = store.ListNetworks().Where(n => n.Spec.Nat).Select(n => n.Name).ToList();
        if (!state.Nat || natted.Count == 0)
        {
            checks.Add(Info(HostScope, "nat-rule", "NAT is off for every network (host init --no-nat or nat: false)"));
        }
        else
        {
            checks.Add(present && state.Uplink is not null && firewall.Masquerades(state.Uplink)
                ? Pass(HostScope, "nat-rule", $"traffic of {string.Join(", ", natted)} is masqueraded out of {state.Uplink}")
                : Fail(HostScope, "nat-rule", $"no masquerade rule out of {state.Uplink}: guests of {string.Join(", ", natted)} cannot reach beyond the host", Reconcile));
        }

        checks.Add(state.Uplink is { } uplink
            ? CheckUplink(uplink, links)
            : Info(HostScope, "uplink", "no uplink: NAT is off and none was named, so guests reach only each other and the host"));
        foreach (var network in store.ListNetworks())
        {
            CheckBridge(network.Spec, links, checks);
            if (NetworkSegments.Count(network.Spec.Subnet) > 1)
            {
                checks.Add(CheckSegments(network.Spec, links));
            }

            if (network.Spec.Pool > 0)
            {
                checks.Add(CheckPool(network.Spec, links));
            }

            if (network.Spec.Vlan is { } vlan)
            {
                checks.Add(CheckVlan(network.Spec, vlan, state.Uplink, links));
            }
        }

        return present;
    }

    private DoctorCheck CheckUplink(string uplink, Dictionary<string, Link> links)
    {
        const string check = "uplink";
        if (!links.TryGetValue(uplink, out var link))
        {
            return Fail(HostScope, check, $"uplink {uplink} is missing from the host namespace", $"bring {uplink} back, or name another uplink: fireline host init --uplink IF");
        }

        if (!link.IsUp)
        {
            return Fail(HostScope, check, $"uplink {uplink} is down", $"ip link set {uplink} up");
        }

        var routes = kernel.Rtnl(rtnl => rtnl.Routes.List(AddressFamily.InterNetwork)).Where(r => r.LinkIndex == link.Index).ToList();
        if (routes.Count == 0)
        {
            return Fail(HostScope, check, $"uplink {uplink} is up but no IPv4 route leaves through it", $"ip route add default via GATEWAY dev {uplink}");
        }

        var byDefault = routes.FirstOrDefault(r => r.Destination is null);
        return Pass(HostScope, check, byDefault is not null
            ? $"{uplink} is up and carries the default route{(byDefault.Gateway is { } gateway ? $" via {gateway}" : "")}"
            : $"{uplink} is up with {routes.Count} route(s) ({string.Join(", ", routes.Select(r => r.DestinationText))}), none the default");
    }

    /// <summary>The warm pool: its ready slots whole; fewer than it keeps is worth knowing (it fills in the background), not a failure.</summary>
    private DoctorCheck CheckPool(NetworkSpec network, Dictionary<string, Link> links)
    {
        var scope = $"network {network.Name}";
        var (ready, broken) = warmPool.Inspect(network, links);
        return broken.Count > 0
            ? Fail(scope, "pool", $"{broken.Count} ready pool slot(s) are not whole ({string.Join(", ", broken.Select(Ipv4Network.Format))}): a create could get a broken datapath", Reconcile)
            : ready >= network.Pool
                ? Pass(scope, "pool", $"{ready} slot(s) ready, each whole (the network keeps {network.Pool})")
                : Info(scope, "pool", $"{ready} of {network.Pool} slot(s) ready: the pool fills in the background (the daemon's), or at the next apply or reconcile");
    }

    private void CheckBridge(NetworkSpec network, Dictionary<string, Link> links, List<DoctorCheck> checks)
    {
        var scope = $"network {network.Name}";
        var subnet = network.Subnet;
        var gateway = $"{Ipv4Network.Format(subnet.Gateway)}/{subnet.PrefixLength}";
        if (!links.TryGetValue(network.Bridge, out var bridge) || bridge.Kind != "bridge")
        {
            checks.Add(Fail(scope, "bridge", bridge is null ? $"bridge {network.Bridge} is missing" : $"{network.Bridge} is a {bridge.Kind ?? "device"}, not a bridge", Reconcile));
            return;
        }

        checks.Add(bridge.IsUp
            ? Pass(scope, "bridge", $"bridge {network.Bridge} is up")
            : Fail(scope, "bridge", $"bridge {network.Bridge} is down: its VMs are cut off", Reconcile));
        checks.Add(host.BridgeOwner(bridge, network) switch
        {
            Owner.Ours => Pass(scope, "bridge-owner", $"bridge {network.Bridge} carries this instance's mark"),
            Owner.Unmarked => Fail(scope, "bridge-owner", $"bridge {network.Bridge} carries no mark, but its MAC says Fireline made it (before marks)", Reconcile),
            _ => Fail(scope, "bridge-owner",
                $"bridge {network.Bridge} is not this instance's ({(bridge.Alias is { } alias ? $"it carries the mark '{alias}'" : "no mark, and a MAC Fireline does not give")}), so Fireline leaves it alone",
                $"fireline network delete {network.Name} (the bridge stays), then give the network a bridge name of its own"),
        });

        // A segment spans 256 addresses, so no bridge of a network comes near the kernel's limit: the count is for reading.
        var ports = links.Values.Count(l => l.MasterIndex == bridge.Index);
        checks.Add(Pass(scope, "bridge-ports", $"{ports} of {Metrics.CapacityReader.BridgePortLimit} ports used"));
        checks.Add(CheckGatewayAddress(scope, network, bridge, gateway));
    }

    /// <summary>A network tagged on the uplink: its VLAN device is this instance's, on the uplink, on the bridge, and up.</summary>
    private DoctorCheck CheckVlan(NetworkSpec network, int vlan, string? uplink, Dictionary<string, Link> links)
    {
        var scope = $"network {network.Name}";
        var name = HostDatapath.VlanDevice(vlan);
        var device = links.GetValueOrDefault(name);
        var problem = device is null ? $"VLAN device {name} is missing: the network's traffic does not reach the uplink"
            : host.VlanOwner(device, refuse: false) == Owner.Foreign ? $"{name} is not this instance's VLAN device, so Fireline leaves it alone"
            : device.VlanId != vlan ? $"VLAN device {name} carries 802.1Q id {device.VlanId}, not {vlan}"
            : uplink is null || !links.TryGetValue(uplink, out var parent) || device.ParentIndex != parent.Index ? $"VLAN device {name} is not on the uplink {uplink ?? "(none)"}"
            : !links.TryGetValue(network.Bridge, out var bridge) || device.MasterIndex != bridge.Index ? $"VLAN device {name} is not a port of bridge {network.Bridge}"
            : !device.IsUp ? $"VLAN device {name} is down: the network is cut off from the uplink"
            : null;
        return problem is null
            ? Pass(scope, "vlan", $"{name} carries the network tagged with 802.1Q id {vlan} on {uplink}, a port of {network.Bridge}, up")
            : Fail(scope, "vlan", problem, device is not null && host.VlanOwner(device, refuse: false) == Owner.Foreign
                ? $"remove or rename {name} if it is a leftover, then fireline reconcile" : Reconcile);
    }

    private DoctorCheck CheckGatewayAddress(string scope, NetworkSpec network, Link bridge, string gateway)
    {
        var subnet = network.Subnet;
        var wanted = Ipv4Network.ToAddress(subnet.Gateway);
        var present = kernel.Rtnl(rtnl => rtnl.Addresses.List(bridge.Index, AddressFamily.InterNetwork));
        if (network.GatewayOutside)
        {
            return present.Any(a => a.Local.Equals(wanted))
                ? Fail(scope, "gateway-address", $"{network.Bridge} holds {wanted}, the address of the gateway outside the host (a router on VLAN {network.Vlan}): both answer for it", Reconcile)
                : Pass(scope, "gateway-address", $"the gateway {gateway} is outside the host (a router on VLAN {network.Vlan}); {network.Bridge} holds no address of it");
        }

        return present.Any(a => a.Local.Equals(wanted) && a.PrefixLength == subnet.PrefixLength)
            ? Pass(scope, "gateway-address", $"{network.Bridge} carries the gateway {gateway}")
            : Fail(scope, "gateway-address", $"{network.Bridge} lacks the gateway address {gateway}: guests have no gateway", Reconcile);
    }
}
