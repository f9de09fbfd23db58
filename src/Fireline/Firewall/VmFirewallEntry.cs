using System.Net;
using Fireline.Addressing;
using Fireline.Linux;
using Fireline.Linux.Nftables;
using Fireline.State;
using Fireline.Vms;
using static Fireline.Firewall.FirewallTables;

namespace Fireline.Firewall;

/// <summary>
/// What the firewall knows of one VM: its bridge port (host veth), MAC and IPv4 address, and for a dual-stack
/// VM the IPv6 addresses it may send from (its own and the link-local address its kernel forms from its MAC).
/// Its anti-spoofing elements are all it adds: adding a VM costs the same with 10 VMs or 4,000.
/// </summary>
public sealed record VmFirewallEntry(string HostVeth, MacAddress Mac, IPAddress Address)
{
    public IReadOnlyList<IPAddress> Ipv6 { get; init; } = [];

    public static VmFirewallEntry For(VmState vm, NetworkSpec network)
    {
        var mac = VmAddressing.GuestMac(vm.Address);
        return new VmFirewallEntry(VmAddressing.HostVeth(vm.Address), mac, Ipv4Network.ToAddress(vm.Address))
        {
            Ipv6 = VmRecords.Ipv6Of(vm, network) is { } prefix
                ? [prefix.VmAddress(vm.Address), Ipv6Prefix.LinkLocal(mac)]
                : [],
        };
    }

    /// <summary>The VM's elements, by set.</summary>
    public IReadOnlyList<(NftSet Set, IReadOnlyList<NftElement> Elements)> Elements
    {
        get
        {
            var port = NftData.InterfaceName(HostVeth);
            var mac = Mac.ToBytes();
            List<(NftSet, IReadOnlyList<NftElement>)> elements =
            [
                (VmMacs, [new NftElement(NftData.Concat(port, mac))]),
                (VmIpv4, [new NftElement(NftData.Concat(port, mac, NftData.Address(Address)))]),
            ];
            if (Ipv6.Count > 0)
            {
                IReadOnlyList<NftElement> own = [.. Ipv6.Select(a => new NftElement(NftData.Concat(port, mac, NftData.Address(a))))];
                elements.Add((VmIpv6, own));
                elements.Add((VmNeighbourTargets, own));
            }

            return elements;
        }
    }
}
