using System.Globalization;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// An 802.1Q VLAN on top of a parent link: <c>ip link add link PARENT name NAME type vlan id ID [protocol 802.1ad]</c>.
/// Kernels without the 8021q module refuse it with EOPNOTSUPP ("Unknown device type"), which surfaces as
/// <see cref="KernelNotSupportedException"/>.
/// </summary>
public sealed class Vlan : LinkKind
{
    private const ushort ProtocolAttribute = 5;

    public Vlan(int parentIndex, int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parentIndex);
        // 0 and 4095 are reserved by 802.1Q; the kernel refuses them too.
        ArgumentOutOfRangeException.ThrowIfLessThan(id, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, 4094);
        ParentIndex = parentIndex;
        Id = id;
    }

    public int ParentIndex { get; }

    public int Id { get; }

    public VlanProtocol Protocol { get; init; } = VlanProtocol.Dot1Q;

    public override string Kind => "vlan";

    internal override bool HasInfoData => true;

    internal override void WriteTopLevel(NetlinkRequest request) => request.U32(Ifla.Link, (uint)ParentIndex);

    internal override void WriteInfoData(NetlinkRequest request)
    {
        request.U16(Ifla.VlanId, (ushort)Id);
        // Left out for 802.1Q, the kernel's default, as iproute2 does.
        if (Protocol != VlanProtocol.Dot1Q)
        {
            request.Be16(ProtocolAttribute, (ushort)Protocol);
        }
    }

    internal override string Describe()
        => $"vlan id {Id.ToString(CultureInfo.InvariantCulture)}" + (Protocol == VlanProtocol.Dot1AD ? " protocol 802.1ad" : "") +
           $" (link {ParentIndex.ToString(CultureInfo.InvariantCulture)})";
}
