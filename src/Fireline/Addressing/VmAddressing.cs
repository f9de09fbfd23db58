using System.Globalization;
using Fireline.Linux;

namespace Fireline.Addressing;

/// <summary>
/// Everything derived from a VM's id and leased address: device names, MAC, boot argument. Derived, never
/// stored, so a record can't disagree with itself.
/// </summary>
public static class VmAddressing
{
    /// <summary>The TAP device inside the VM's namespace; names there only need to be unique in that namespace.</summary>
    public const string TapDevice = "tap0";

    /// <summary>The VM end of the veth pair, inside the VM's namespace.</summary>
    public const string VmVeth = "veth0";

    /// <summary>Host-side veths are "fl" + the IPv4 address in hex: unique (leases are), 10 bytes, recognisable.</summary>
    public const string HostVethPrefix = "fl";

    public const string NamespacePrefix = "vm-";

    /// <summary>A network's VXLAN device in cluster mode: <c>vx-</c> and its VNI (apart from <see cref="HostVethPrefix"/>'s ports).</summary>
    public const string VxlanPrefix = "vx-";

    public static string NamespaceName(VmId id) => NamespacePrefix + id.Value;

    /// <summary>
    /// The name a warm-pool slot's namespace is mounted under, kept when a VM takes it (vm-ID then names it too): "fls-",
    /// the instance's <paramref name="instance"/> (namespace names are the machine's, and two instances may use one
    /// subnet), and its address in hex, as its host veth.
    /// </summary>
    public static string SlotNamespaceName(string instance, uint address)
        => $"{SlotNamespacePrefix}{instance}-{address.ToString("x8", CultureInfo.InvariantCulture)}";

    public const string SlotNamespacePrefix = "fls-";

    public static string HostVeth(uint address) => HostVethPrefix + address.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>True for names <see cref="HostVeth"/> makes: what reconcile may remove when no record claims it.</summary>
    public static bool IsHostVethName(string name)
        => name.Length == HostVethPrefix.Length + 8 && name.StartsWith(HostVethPrefix, StringComparison.Ordinal) &&
           name.AsSpan(HostVethPrefix.Length).ContainsAnyExcept("0123456789abcdef") == false;

    /// <summary>
    /// <c>06:00:</c> + the four IPv4 bytes, as Firecracker's examples do: unique because the address is, and a
    /// guest can derive its address from its MAC.
    /// </summary>
    public static MacAddress GuestMac(uint address) => new((0x0600UL << 32) | address);

    /// <summary>
    /// The kernel's own <c>ip=</c> argument: <c>ip=client::gateway:netmask::eth0:off[:dns0[:dns1]]</c>; for a dual
    /// stack VM also <c>fireline.ipv6=ADDRESS/LENGTH,GATEWAY</c> (the kernel has no IPv6 counterpart of <c>ip=</c>;
    /// it passes the argument on to the guest's init, which configures it).
    /// </summary>
    public static string BootArgs(uint address, Ipv4Network subnet, IReadOnlyList<string> dnsServers, Ipv6Prefix? ipv6 = null)
    {
        var text = $"ip={Ipv4Network.Format(address)}::{Ipv4Network.Format(subnet.Gateway)}:{Ipv4Network.Format(subnet.Mask)}::eth0:off";
        // The kernel command line is no place for text: each server is written from its parsed value. Validation lets
        // only canonical addresses into a network (at most two); anything else in a store written before that is left out.
        foreach (var server in dnsServers.Take(2))
        {
            if (Ipv4Address.TryParse(server, out var dns))
            {
                text += ":" + Ipv4Network.Format(dns);
            }
        }

        if (ipv6 is { } prefix)
        {
            text += $" fireline.ipv6={prefix.VmAddress(address)}/{prefix.Length},{prefix.Gateway}";
        }

        return text;
    }
}
