using System.Globalization;
using Fireline.Addressing;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.Benchmarks;

/// <summary>
/// Turns a VM's namespace into the guest itself, so a program run there sends what the guest would: the VM end of
/// the veth takes the guest's MAC, address and default route, and loses its tc redirect to the TAP (so replies
/// reach the namespace's stack instead of the TAP nobody reads). Its traffic then crosses the bridge's
/// anti-spoofing, the forward chains and NAT exactly as the guest's frames do.
/// </summary>
public static class SendingVm
{
    /// <summary>
    /// <c>tc qdisc del dev veth0 ingress</c>, <c>ip link set veth0 address MAC</c>, <c>ip addr add IP/LEN dev veth0</c>,
    /// <c>ip route add default via GATEWAY</c>, in the VM's namespace.
    /// </summary>
    public static void Prepare(VmRecord vm)
    {
        const string Veth = VmAddressing.VmVeth;
        Tool.Run("tc", "-n", vm.Namespace, "qdisc", "del", "dev", Veth, "ingress");
        Ip.Run("-n", vm.Namespace, "link", "set", "dev", Veth, "address", vm.GuestMac);
        Ip.Run("-n", vm.Namespace, "addr", "add", string.Create(CultureInfo.InvariantCulture, $"{vm.Ipv4.Address}/{vm.Ipv4.PrefixLength}"), "dev", Veth);
        Ip.Run("-n", vm.Namespace, "route", "add", "default", "via", vm.Ipv4.Gateway);
    }
}
