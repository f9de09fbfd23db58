using System.Net.Sockets;
using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.Linux.SockDiag;
using Fireline.State;

namespace Fireline.Host;

/// <summary>The host side of the datapath: forwarding, each network's bridge and gateway address, the uplink.</summary>
public sealed class HostDatapath(HostKernel kernel)
{
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
        => TryDetectUplink() ?? throw DomainErrors.InvalidInput("uplink", "no IPv4 default route in the host namespace to find the uplink by; name it with --uplink");

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
    /// Ensures the network's bridge: present (a bridge, not something else of that name), up, with a fixed MAC
    /// (else the bridge takes its lowest port's and the gateway's MAC changes as VMs come and go) and the gateway
    /// address. Returns whether anything changed, and the bridge's index.
    /// </summary>
    public (bool Changed, int Index) EnsureBridge(NetworkSpec network)
    {
        var subnet = Ipv4Network.Parse(network.Subnet);
        return kernel.Rtnl(rtnl =>
        {
            var changed = false;
            var bridge = rtnl.Links.TryGet(network.Bridge);
            if (bridge is null)
            {
                rtnl.Links.Create(new LinkSpec(network.Bridge, new Bridge()) { Up = true, Address = VmAddressing.GuestMac(subnet.Gateway) });
                bridge = rtnl.Links.Get(network.Bridge);
                changed = true;
            }
            else if (bridge.Kind != "bridge")
            {
                throw DomainErrors.Conflict($"network '{network.Name}': '{network.Bridge}' exists in the host namespace and is a {bridge.Kind ?? "device"}, not a bridge", "bridge");
            }
            else if (!bridge.IsUp)
            {
                rtnl.Links.SetUp(network.Bridge);
                changed = true;
            }

            var gateway = Ipv4Network.ToAddress(subnet.Gateway);
            var present = rtnl.Addresses.List(bridge.Index, AddressFamily.InterNetwork);
            if (!present.Any(a => a.Local.Equals(gateway) && a.PrefixLength == subnet.PrefixLength))
            {
                rtnl.Addresses.Add(new Address(bridge.Index, gateway, subnet.PrefixLength) { Broadcast = Ipv4Network.ToAddress(subnet.Broadcast) });
                changed = true;
            }

            if (network.Ipv6 is { } ipv6)
            {
                var prefix = Ipv6Prefix.Parse(ipv6);
                if (!rtnl.Addresses.List(bridge.Index, AddressFamily.InterNetworkV6).Any(a => a.Local.Equals(prefix.Gateway)))
                {
                    // No duplicate-address detection: the gateway address is Fireline's by construction, usable at once.
                    rtnl.Addresses.Add(new Address(bridge.Index, prefix.Gateway, prefix.Length) { Flags = AddressFlags.NoDad });
                    changed = true;
                }
            }

            return (changed, bridge.Index);
        });
    }

    /// <summary>The bridge's index and whether it is up; null when it is missing.</summary>
    public Link? FindBridge(string name) => kernel.Rtnl(rtnl => rtnl.Links.TryGet(name));

    /// <summary><c>ip link del BRIDGE</c>; a bridge already gone counts as deleted.</summary>
    public void DeleteBridge(string name) => kernel.Rtnl(rtnl => rtnl.Links.DeleteIfExists(name));

    /// <summary>The host namespace's links, for reconcile and doctor.</summary>
    public IReadOnlyList<Link> Links() => kernel.Rtnl(rtnl => rtnl.Links.List());

    /// <summary>The host namespace's listening TCP or bound UDP sockets (<c>ss -tln</c> / <c>ss -uln</c>): ports its own services hold.</summary>
    public IReadOnlyList<BoundSocket> Listening(ProtocolType protocol)
    {
        using var diag = InetDiag.Open(kernel.Namespace);
        return diag.Listening(protocol);
    }

    /// <summary>
    /// Whether this kernel can create 802.1Q VLAN devices: tried once, on a bridge in a scratch namespace that
    /// is removed at once, so the host itself is never touched.
    /// </summary>
    public bool SupportsVlans() => VlanSupport.Value;

    private static readonly Lazy<bool> VlanSupport = new(() =>
    {
        var name = $"fl-probe-{Environment.ProcessId}-{Random.Shared.Next():x}";
        var supported = true;
        using (NetworkNamespace.Create(name, () =>
            {
                using var rtnl = Rtnl.Open();
                rtnl.Links.Create(new LinkSpec("probe0", new Bridge()));
                try
                {
                    rtnl.Links.Create(new LinkSpec("probe0.1", new Vlan(rtnl.Links.Get("probe0").Index, 1)));
                }
                catch (KernelNotSupportedException)
                {
                    supported = false;
                }
            }))
        {
            NetworkNamespace.Delete(name);
        }

        return supported;
    });
}
