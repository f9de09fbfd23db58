using System.Net.Sockets;
using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.Linux.SockDiag;
using Fireline.Ownership;
using Fireline.State;

namespace Fireline.Host;

/// <summary>
/// The host side of the datapath: forwarding, each network's bridge and gateway address, the uplink. Bridges
/// carry this instance's mark (<see cref="InstanceMark"/>); a bridge without it is never used, changed or deleted.
/// </summary>
public sealed partial class HostDatapath(HostKernel kernel, InstanceMark mark, IStateStore store)
{
    /// <summary>
    /// The setting that names a bridge while it is being created: between the create and the mark (two sends, see
    /// <see cref="Links.Create"/>) a crash leaves an unmarked bridge, which this intent lets the next run adopt.
    /// </summary>
    private const string BridgeIntentKey = "creating-bridge";

    public const string ForwardingKey = "net.ipv4.ip_forward";

    public const string BridgeNetfilterKey = "net.bridge.bridge-nf-call-iptables";

    /// <summary>
    /// What the host namespace needs on: IPv4 forwarding, and bridge netfilter, through which traffic between
    /// VMs of one bridge meets the policies in the forward hook.
    /// </summary>
    private static readonly string[] RequiredSysctls = [ForwardingKey, BridgeNetfilterKey];

    /// <summary>The same for IPv6, when a network is dual stack.</summary>
    private static readonly string[] RequiredIpv6Sysctls = ["net.ipv6.conf.all.forwarding", "net.bridge.bridge-nf-call-ip6tables"];

    /// <summary>
    /// Turns on what <see cref="RequiredSysctls"/> lists, and <see cref="RequiredIpv6Sysctls"/> when
    /// <paramref name="ipv6"/> (only writing what is off); returns whether it changed any.
    /// </summary>
    public bool EnsureForwarding(bool ipv6)
    {
        var changed = false;
        foreach (var key in ipv6 ? RequiredSysctls.Concat(RequiredIpv6Sysctls) : RequiredSysctls)
        {
            string current;
            try
            {
                current = Sysctl.Read(kernel.Namespace, key);
            }
            catch (KernelObjectNotFoundException)
            {
                throw DomainErrors.Unsupported($"{key} is missing in the host namespace: this kernel lacks {(key.Contains("bridge", StringComparison.Ordinal) ? "bridge netfilter (br_netfilter)" : "forwarding for that family")}, which Fireline needs");
            }

            if (current.Trim() != "1")
            {
                Sysctl.Write(kernel.Namespace, key, "1");
                changed = true;
            }
        }

        return changed;
    }

    public bool IsForwarding() => IsOn(ForwardingKey);

    /// <summary>Whether a boolean sysctl is 1 in the host namespace; false when this kernel lacks it.</summary>
    public bool IsOn(string key)
    {
        try
        {
            return Sysctl.Read(kernel.Namespace, key).Trim() == "1";
        }
        catch (KernelObjectNotFoundException)
        {
            return false; // the feature is missing, which is "off" for whoever asks
        }
    }

    /// <summary>The interface of the host namespace's IPv4 default route: where NAT goes out when no uplink is named.</summary>
    public string DetectUplink()
        => TryDetectUplink() ?? throw DomainErrors.InvalidInput("uplink", $"no IPv4 default route in the host namespace to find the uplink by; name it with {FieldReference.Of("uplink")}");

    /// <summary>The default route's interface, or null when the host namespace has no IPv4 default route.</summary>
    public string? TryDetectUplink()
        => kernel.Rtnl(rtnl => rtnl.Routes.DefaultRoute(AddressFamily.InterNetwork)?.LinkIndex is { } index
            ? rtnl.Links.List().Single(l => l.Index == index).Name
            : null);

    /// <summary>Checks that the named uplink exists in the host namespace.</summary>
    public void RequireLink(string name, string field)
    {
        if (!LinkName.IsValid(name) || kernel.Rtnl(rtnl => rtnl.Links.TryGet(name)) is null)
        {
            throw DomainErrors.InvalidInput(field, $"no interface '{name}' in the host namespace");
        }
    }

    /// <summary>
    /// Ensures the network's bridge: present and this instance's (<see cref="RequireOwnBridge"/>), up, with a fixed
    /// MAC (else the bridge takes its lowest port's and the gateway's MAC changes as VMs come and go) and the gateway
    /// address (none when the gateway is outside the host: <see cref="NetworkSpec.GatewayOutside"/>). <paramref name="claimed"/>: this instance's records named the bridge before this operation, which
    /// lets it adopt (mark) a bridge that a Fireline older than marks made. Returns whether anything changed, whether
    /// the bridge was adopted, and its index.
    /// </summary>
    public (bool Changed, bool Adopted, int Index) EnsureBridge(NetworkSpec network, bool claimed)
    {
        var subnet = network.Subnet;
        return kernel.Rtnl(rtnl =>
        {
            var changed = false;
            var adopted = false;
            var bridge = rtnl.Links.TryGet(network.Bridge);
            if (bridge is null)
            {
                store.SaveSetting(BridgeIntentKey, network.Bridge);
                rtnl.Links.Create(new LinkSpec(network.Bridge, new Bridge()) { Up = true, Address = VmAddressing.GuestMac(subnet.Gateway), Alias = mark.Text });
                store.SaveSetting(BridgeIntentKey, "");
                bridge = rtnl.Links.Get(network.Bridge);
                changed = true;
            }
            else
            {
                if (Judge(bridge, network, claimed) == Owner.Unmarked)
                {
                    rtnl.Links.SetAlias(bridge.Index, bridge.Name, mark.Text);
                    adopted = changed = true;
                }

                if (!bridge.IsUp)
                {
                    rtnl.Links.SetUp(network.Bridge);
                    changed = true;
                }
            }

            var gateway = Ipv4Network.ToAddress(subnet.Gateway);
            var present = rtnl.Addresses.List(bridge.Index, AddressFamily.InterNetwork);
            if (network.GatewayOutside)
            {
                // The gateway is a router on the VLAN: an address of the network on the bridge would answer for it.
                foreach (var held in present.Concat(rtnl.Addresses.List(bridge.Index, AddressFamily.InterNetworkV6))
                             .Where(a => a.Local.Equals(gateway) || (network.Ipv6 is { } v6 && a.Local.Equals(v6.Gateway))))
                {
                    rtnl.Addresses.Delete(held);
                    changed = true;
                }
            }
            else if (!present.Any(a => a.Local.Equals(gateway) && a.PrefixLength == subnet.PrefixLength))
            {
                rtnl.Addresses.Add(new Address(bridge.Index, gateway, subnet.PrefixLength) { Broadcast = Ipv4Network.ToAddress(subnet.Broadcast) });
                changed = true;
            }

            if (network.Ipv6 is { } prefix && !network.GatewayOutside)
            {
                if (!rtnl.Addresses.List(bridge.Index, AddressFamily.InterNetworkV6).Any(a => a.Local.Equals(prefix.Gateway)))
                {
                    // No duplicate-address detection: the gateway address is Fireline's by construction, usable at once.
                    rtnl.Addresses.Add(new Address(bridge.Index, prefix.Gateway, prefix.Length) { Flags = AddressFlags.NoDad });
                    changed = true;
                }
            }

            if (NetworkSegments.Count(subnet) > 1)
            {
                changed |= EnsureProxyArp(network.Bridge);
            }

            return (changed, adopted, bridge.Index);
        });
    }

    /// <summary>
    /// Refuses, with <c>bridge-in-use</c>, a network whose bridge name is taken in the host namespace by a link that
    /// is not this instance's bridge (see <see cref="EnsureBridge"/> for <paramref name="claimed"/>). Changes nothing.
    /// </summary>
    public void RequireOwnBridge(NetworkSpec network, bool claimed)
    {
        if (kernel.Rtnl(rtnl => rtnl.Links.TryGet(network.Bridge)) is { } link)
        {
            Judge(link, network, claimed);
        }
    }

    /// <summary>The network's bridge, when it exists and is this instance's (or a claimed one to adopt); null when it is missing.</summary>
    public Link? FindBridge(NetworkSpec network)
    {
        var bridge = kernel.Rtnl(rtnl => rtnl.Links.TryGet(network.Bridge));
        if (bridge is not null)
        {
            Judge(bridge, network, claimed: true);
        }

        return bridge;
    }

    /// <summary>
    /// Whose a recorded network's bridge is: this instance's, an unmarked one to adopt (see <see cref="Judge"/>), or
    /// foreign. For doctor, which says which and what fixes it.
    /// </summary>
    public Owner BridgeOwner(Link bridge, NetworkSpec network) => Judge(bridge, network, claimed: true, refuse: false);

    /// <summary>
    /// <c>ip link del BRIDGE</c> for a recorded network, only when the bridge is this instance's (or a claimed one
    /// to adopt), after its further segments' bridges that are. Returns false, and leaves it, when it is missing or not
    /// this instance's.
    /// </summary>
    public bool DeleteBridge(NetworkSpec network)
    {
        DeleteSegments(network);
        return kernel.Rtnl(rtnl => rtnl.Links.TryGet(network.Bridge) is { } bridge && BridgeOwner(bridge, network) != Owner.Foreign &&
                                   rtnl.Links.DeleteIfExists(network.Bridge));
    }

    /// <summary>
    /// Whose an existing link named like the network's bridge is: <see cref="Owner.Ours"/> when it carries this
    /// instance's mark; <see cref="Owner.Unmarked"/> for an unmarked bridge to adopt, which needs proof besides
    /// the name: the fixed MAC Fireline gives the network's bridges, and either a record that claimed it
    /// (<paramref name="claimed"/>) or this instance's intent to create it. <paramref name="name"/>: the link's
    /// name when it is one of the network's further segment bridges. Anything else is foreign: refused with
    /// <c>bridge-in-use</c>, or, when not <paramref name="refuse"/>, reported as <see cref="Owner.Foreign"/>.
    /// </summary>
    private Owner Judge(Link link, NetworkSpec network, bool claimed, bool refuse = true, string? name = null)
    {
        name ??= network.Bridge;
        var owner = mark.Judge(link, "bridge");
        if (owner == Owner.Unmarked &&
            (link.Address != VmAddressing.GuestMac(network.Subnet.Gateway) || !(claimed || store.GetSetting(BridgeIntentKey) == name)))
        {
            owner = Owner.Foreign;
        }

        if (owner == Owner.Foreign && refuse)
        {
            throw DomainErrors.BridgeInUse(network.Name, name, link.Kind != "bridge" ? $"is a {link.Kind ?? "device"}, not a bridge"
                : mark.Judge(link.Alias) == Owner.Foreign ? $"carries the mark of something else ('{link.Alias}')"
                : "carries no mark of this Fireline instance");
        }

        return owner;
    }

    /// <summary>The host namespace's links, for reconcile and doctor.</summary>
    public IReadOnlyList<Link> Links() => kernel.Rtnl(rtnl => rtnl.Links.List());

    /// <summary>The host namespace's listening TCP or bound UDP sockets (<c>ss -tln</c> / <c>ss -uln</c>): ports its own services hold.</summary>
    public IReadOnlyList<BoundSocket> Listening(ProtocolType protocol)
    {
        using var diag = InetDiag.Open(kernel.Namespace);
        return diag.Listening(protocol);
    }
}
