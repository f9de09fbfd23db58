namespace Fireline.Policy;

/// <summary>
/// What the firewall knows of one VM: its bridge port (host veth), MAC and IPv4 address, and for a dual-stack
/// VM the IPv6 addresses it may send from (its own and the link-local address its kernel forms from its MAC).
/// </summary>
public sealed record VmFirewallEntry(string HostVeth, string Mac, string Address)
{
    public IReadOnlyList<System.Net.IPAddress> Ipv6 { get; init; } = [];
}
