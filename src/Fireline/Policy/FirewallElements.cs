using Fireline.Addressing;
using Fireline.State;

namespace Fireline.Policy;

/// <summary>The per-VM and per-forward firewall elements that the stored state calls for.</summary>
public static class FirewallElements
{
    public static VmFirewallEntry For(VmState vm)
        => new(VmAddressing.HostVeth(vm.Address), VmAddressing.GuestMac(vm.Address).ToString(), Ipv4Network.Format(vm.Address));

    /// <summary>Every recorded VM's and forward's elements, as commands.</summary>
    public static string From(IStateStore store)
        => FirewallRuleset.Elements([.. store.ListVms().Select(For)], store.ListForwards());
}
