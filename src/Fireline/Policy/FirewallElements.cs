using Fireline.Addressing;
using Fireline.State;

namespace Fireline.Policy;

/// <summary>The per-VM and per-forward firewall elements that the stored state calls for.</summary>
public static class FirewallElements
{
    public static VmFirewallEntry For(VmState vm, NetworkSpec network)
    {
        var mac = VmAddressing.GuestMac(vm.Address);
        return new VmFirewallEntry(VmAddressing.HostVeth(vm.Address), mac.ToString(), Ipv4Network.Format(vm.Address))
        {
            Ipv6 = vm.Options.Ipv6 && network.Ipv6 is { } prefix
                ? [Ipv6Prefix.Parse(prefix).VmAddress(vm.Address), Ipv6Prefix.LinkLocal(mac)]
                : [],
        };
    }

    /// <summary>Every recorded VM's and forward's elements, as commands.</summary>
    public static string From(IStateStore store)
    {
        var networks = store.ListNetworks().ToDictionary(n => n.Name, n => n.Spec, StringComparer.Ordinal);
        return FirewallRuleset.Elements([.. store.ListVms().Select(vm => For(vm, networks[vm.Network]))], store.ListForwards());
    }
}
