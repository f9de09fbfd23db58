namespace Fireline.Linux.Rtnetlink;

/// <summary>The tag's EtherType (IFLA_VLAN_PROTOCOL).</summary>
public enum VlanProtocol : ushort
{
    /// <summary>802.1Q, the kernel's default.</summary>
    Dot1Q = 0x8100,

    /// <summary>802.1ad (QinQ service tag).</summary>
    Dot1AD = 0x88a8,
}
