using System.Net;
using System.Net.NetworkInformation;
using Fireline.Addressing;
using Fireline.Firewall;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.Sriov;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Doctor;

/// <summary>
/// One VM's part of the checklist: namespace, TAP, the tap0-veth0 join, the host veth on its bridge, the
/// gateway path, anti-spoofing elements and lease, and the VM's own policy rules when it has some.
/// </summary>
public sealed partial class Checkup
{
    /// <summary>Neighbour states in which the entry was confirmed by the guest's own ARP reply (or traffic) lately.</summary>
    private const NeighbourState Confirmed = NeighbourState.Reachable | NeighbourState.Stale | NeighbourState.Delay | NeighbourState.Probe;

    private void CheckVm(VmState vm, NetworkSpec network, VfAllocation? vf, Dictionary<string, Link> hostLinks, AntiSpoofing? elements, List<DoctorCheck> checks)
    {
        var scope = $"vm {vm.VmId}";
        if (vm.Lifecycle != VmLifecycle.Ready)
        {
            checks.Add(Fail(scope, "lifecycle", $"an interrupted {(vm.Lifecycle == VmLifecycle.Creating ? "create" : "delete")}: the record is still {vm.Lifecycle.ToString().ToLowerInvariant()}", Reconcile));
            return;
        }

        var name = vm.Options.Attachment?.Netns ?? VmAddressing.NamespaceName(vm.VmId);
        Link? tap;
        using (var vmNamespace = kernel.TryOpenVm(vm))
        {
            if (vmNamespace is null)
            {
                checks.Add(Fail(scope, "namespace", $"namespace {name} is missing: the VM's network is gone", $"{Reconcile} (drops the record), then fireline vm create {vm.VmId}"));
                return;
            }

            var inside = vmNamespace.Rtnl;
            checks.Add(Pass(scope, "namespace", $"{name} is present"));
            var links = inside.Links.List();
            tap = links.SingleOrDefault(l => l.Name == vm.TapName);
            var veth = links.SingleOrDefault(l => l.Name == vm.VethName);
            checks.Add(tap is null ? Fail(scope, "tap", $"{vm.TapName} is missing from {name}: the VMM has no device to open", Reconcile)
                : !tap.IsUp ? Fail(scope, "tap", $"{vm.TapName} is down", Reconcile)
                : Pass(scope, "tap", $"{vm.TapName} is up"));
            if (tap is not null && (vm.Options.TapOwner is not null || vm.Options.TapGroup is not null))
            {
                checks.Add(CheckTapOwnership(scope, tap, vm));
            }

            if (tap is not null)
            {
                checks.Add(tap.Carrier == true
                    ? Pass(scope, "tap-carrier", "a VMM has the TAP open (carrier)")
                    : Info(scope, "tap-carrier", "no VMM attached (no carrier): a VMM opening the TAP brings it up"));
            }

            checks.Add(CheckJoin(scope, inside, tap, veth, vm));
            if (vf is not null)
            {
                var device = links.SingleOrDefault(l => l.Name == SriovPool.VfDevice);
                checks.Add(device is { IsUp: true } ? Pass(scope, "sriov-vf", $"VF {vf.Device} ({vf.Pf} #{vf.Index}) is up as {SriovPool.VfDevice}")
                    : Fail(scope, "sriov-vf", device is null ? $"VF {vf.Device} ({vf.Pf} #{vf.Index}) is not in {name} as {SriovPool.VfDevice}" : $"{SriovPool.VfDevice} is down", Reconcile));
            }
        }

        var hostVeth = VmAddressing.HostVeth(vm.Address);
        // The bridge of the VM's segment: the network's own unless the network has further segments.
        var bridgeName = NetworkSegments.Bridge(network.Bridge, NetworkSegments.Of(network.Subnet, vm.Address));
        var bridge = hostLinks.GetValueOrDefault(bridgeName);
        checks.Add(!hostLinks.TryGetValue(hostVeth, out var port) ? Fail(scope, "host-veth", $"host veth {hostVeth} is missing", Reconcile)
            : !port.IsUp ? Fail(scope, "host-veth", $"host veth {hostVeth} is down", Reconcile)
            : bridge is null || port.MasterIndex != bridge.Index ? Fail(scope, "host-veth", $"host veth {hostVeth} is not on bridge {bridgeName}: the VM is cut off", Reconcile)
            : Pass(scope, "host-veth", $"{hostVeth} is up on {bridgeName}"));
        checks.Add(CheckGateway(scope, vm, network, tap, bridge));
        CheckElements(scope, vm, hostVeth, elements, checks);
        if (elements is not null && vm.Options.Policies is { Count: > 0 } rules)
        {
            var entry = VmFirewallEntry.For(vm, network);
            checks.Add(firewall.VmPolicyIntact(entry)
                ? Pass(scope, "vm-policy", $"{rules.Count} rule(s) of its own in {string.Join(" and ", entry.Chains.Select(c => c.Name))}, before network {network.Name}'s: {string.Join(", ", rules.Select(r => r.Name))}")
                : Fail(scope, "vm-policy", $"the VM's own rules are not what its record says (a chain or map element changed or gone): its traffic is judged by its network's rules alone", Reconcile));
        }
    }

    /// <summary>A jailed VMM opens the TAP as its own uid/gid: the tun driver lets it only when they are the TAP's owner and group.</summary>
    private static DoctorCheck CheckTapOwnership(string scope, Link tap, VmState vm)
    {
        var wanted = VmDatapath.Ownership(vm.Options);
        if (VmDatapath.HasRecordedOwnership(tap, vm.Options))
        {
            return Pass(scope, "tap-owner", $"{vm.TapName} has {wanted}, as recorded: a VMM running as them can open it");
        }

        var actual = $"{(tap.TunOwner is { } u ? $"user {u}" : "no owner")} {(tap.TunGroup is { } g ? $"group {g}" : "no group")}";
        return Fail(scope, "tap-owner", $"{vm.TapName} has {actual}, not {wanted}: a jailed VMM running as them cannot open it",
            $"{Reconcile} (restores them once no VMM holds the TAP)");
    }

    private static DoctorCheck CheckJoin(string scope, Rtnl inside, Link? tap, Link? veth, VmState vm)
    {
        const string check = "veth-joined";
        if (veth is null || tap is null)
        {
            return Fail(scope, check, $"{(veth is null ? vm.VethName : vm.TapName)} is missing: nothing carries the guest's frames", Reconcile);
        }

        var (toTap, toVeth) = VmDatapath.Redirects(inside, tap, veth);
        return !veth.IsUp ? Fail(scope, check, $"{vm.VethName} is down", Reconcile)
            : toTap && toVeth ? Pass(scope, check, $"{vm.VethName} and {vm.TapName} redirect to each other (tc)")
            : Fail(scope, check, $"the tc redirect {(toTap ? $"{vm.TapName} -> {vm.VethName}" : $"{vm.VethName} -> {vm.TapName}")} is missing: frames stop there", Reconcile);
    }

    /// <summary>
    /// The namespace holds no address (nothing may clash with the guest's), so nothing in it can ping. What can be
    /// proved is the guest's own path: with a VMM attached, the gateway (the host namespace) pings the guest, and
    /// a guest that drops pings still shows up in the bridge's neighbour table once it answers ARP. Without a VMM
    /// there is no guest to answer, and the devices checked above are the whole path.
    /// </summary>
    private DoctorCheck CheckGateway(string scope, VmState vm, NetworkSpec network, Link? tap, Link? bridge)
    {
        const string check = "gateway-reachable";
        var gateway = Ipv4Network.Format(network.Subnet.Gateway);
        if (tap?.Carrier != true || bridge is null)
        {
            return Info(scope, check, $"no guest to answer (no VMM attached): the path to the gateway {gateway} is the devices checked here");
        }

        if (network.GatewayOutside)
        {
            return Info(scope, check, $"the gateway {gateway} is a router on VLAN {network.Vlan}, outside the host, which has no address to ping the guest from: the path to the uplink is the devices checked here");
        }

        var address = Ipv4Network.ToAddress(vm.Address);
        var mac = VmAddressing.GuestMac(vm.Address);
        if (Ping(address))
        {
            return Pass(scope, check, $"the guest answers ping from its gateway {gateway}");
        }

        var entry = kernel.Rtnl(rtnl => rtnl.Neighbours.List(bridge.Index, address.AddressFamily)).FirstOrDefault(n => n.Address.Equals(address));
        if (entry?.LinkLayerAddress is { } seen && seen != mac)
        {
            return Fail(scope, check, $"{address} resolves to {seen} on {bridge.Name}, not to the VM's MAC {mac}: another guest uses the address, or this guest has the wrong MAC",
                $"give the guest the MAC {mac} (Firecracker guest_mac; see fireline vm show {vm.VmId})");
        }

        return entry is not null && (entry.State & Confirmed) != 0
            ? Pass(scope, check, $"the guest answers ARP from its gateway {gateway} but not ping (a firewall in the guest?)")
            : Fail(scope, check, $"a VMM has the TAP open, but the guest answers neither ping nor ARP from its gateway {gateway}",
                GuestNetworkHint(vm, network));
    }

    /// <summary>What to check in a guest that does not answer: the same kernel argument and MAC as its record's.</summary>
    internal static string GuestNetworkHint(VmState vm, NetworkSpec network)
        => $"check the guest's network: kernel argument {VmRecords.BootArgs(vm, network)}, MAC {VmAddressing.GuestMac(vm.Address)} (fireline vm show {vm.VmId})";

    /// <summary>Two echo requests from the host namespace (the gateway's); the socket is opened on a thread in there.</summary>
    private bool Ping(IPAddress address) => kernel.Namespace.Run(() =>
    {
        using var ping = new Ping();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (ping.Send(address, 700).Status == IPStatus.Success)
            {
                return true;
            }
        }

        return false;
    });

    private static void CheckElements(string scope, VmState vm, string hostVeth, AntiSpoofing? elements, List<DoctorCheck> checks)
    {
        var mac = VmAddressing.GuestMac(vm.Address).ToString();
        var address = Ipv4Network.Format(vm.Address);
        if (elements is null)
        {
            checks.Add(Fail(scope, "firewall-elements", "Fireline's nftables tables are missing, and with them the VM's anti-spoofing elements", Reconcile));
            return;
        }

        var macs = elements.Macs[hostVeth].ToList();
        var addresses = elements.Addresses[hostVeth].ToList();
        checks.Add(macs.Any(m => string.Equals(m, mac, StringComparison.OrdinalIgnoreCase)) && addresses.Count > 0
            ? Pass(scope, "firewall-elements", $"anti-spoofing lets {hostVeth} send as {mac}")
            : Fail(scope, "firewall-elements", $"anti-spoofing has no {(addresses.Count == 0 ? "address" : "MAC")} element for {hostVeth}: every frame of the guest is dropped", Reconcile));
        if (addresses.Count == 0)
        {
            return;
        }

        var wrong = addresses.Where(a => a.Address != address || !string.Equals(a.Mac, mac, StringComparison.OrdinalIgnoreCase)).ToList();
        checks.Add(wrong.Count == 0
            ? Pass(scope, "lease", $"the lease {address} ({mac}) matches the anti-spoofing element")
            : Fail(scope, "lease", $"the lease is {address} ({mac}) but anti-spoofing lets {hostVeth} send as {string.Join(", ", wrong.Select(w => $"{w.Address} ({w.Mac})"))}", Reconcile));
    }
}
