using System.Net.Sockets;
using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.State;

namespace Fireline.Host;

/// <summary>The host side of the datapath: forwarding, each network's bridge and gateway address, the uplink.</summary>
public sealed class HostDatapath(HostKernel kernel)
{
    private const string ForwardingKey = "net.ipv4.ip_forward";

    /// <summary>net.ipv4.ip_forward=1 in the host namespace (only written when it is not already on).</summary>
    public bool EnsureForwarding()
    {
        if (IsForwarding())
        {
            return false;
        }

        Sysctl.Write(kernel.Namespace, ForwardingKey, "1");
        return true;
    }

    public bool IsForwarding() => Sysctl.Read(kernel.Namespace, ForwardingKey).Trim() == "1";

    /// <summary>The interface of the host namespace's IPv4 default route: where NAT goes out when no uplink is named.</summary>
    public string DetectUplink()
    {
        return kernel.Rtnl(rtnl =>
        {
            var route = rtnl.Routes.DefaultRoute(AddressFamily.InterNetwork);
            if (route?.LinkIndex is not { } index)
            {
                throw DomainErrors.InvalidInput("uplink", "no IPv4 default route in the host namespace to find the uplink by; name it with --uplink");
            }

            return rtnl.Links.List().Single(l => l.Index == index).Name;
        });
    }

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

            return (changed, bridge.Index);
        });
    }

    /// <summary>The bridge's index and whether it is up; null when it is missing.</summary>
    public Link? FindBridge(string name) => kernel.Rtnl(rtnl => rtnl.Links.TryGet(name));

    /// <summary><c>ip link del BRIDGE</c>; a bridge already gone counts as deleted.</summary>
    public void DeleteBridge(string name) => kernel.Rtnl(rtnl => rtnl.Links.DeleteIfExists(name));

    /// <summary>The host namespace's links, for reconcile and doctor.</summary>
    public IReadOnlyList<Link> Links() => kernel.Rtnl(rtnl => rtnl.Links.List());

    internal static FirelineException Wrap(string what, KernelException error) => DomainErrors.Kernel(what, error);
}
