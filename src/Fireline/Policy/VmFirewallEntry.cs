namespace Fireline.Policy;

/// <summary>What the firewall knows of one VM: its bridge port (host veth), MAC and address.</summary>
public sealed record VmFirewallEntry(string HostVeth, string Mac, string Address);
