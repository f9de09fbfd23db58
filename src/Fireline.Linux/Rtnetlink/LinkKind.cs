using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// A kind of link the kernel can create over rtnetlink (IFLA_INFO_KIND). Each kind writes its own
/// IFLA_INFO_DATA, and any top-level attributes it needs, into a create request.
/// </summary>
public abstract class LinkKind
{
    /// <summary>The kernel's name for the kind: "veth", "bridge", "vxlan", ...</summary>
    public abstract string Kind { get; }

    /// <summary>Checks the settings together before anything is written, so a bad kind never leaves half a message.</summary>
    internal virtual void Validate()
    {
    }

    /// <summary>Writes attributes that belong at the top level of RTM_NEWLINK (IFLA_LINK for a VLAN's parent).</summary>
    internal virtual void WriteTopLevel(NetlinkRequest request)
    {
    }

    /// <summary>Writes the contents of IFLA_INFO_DATA; kinds without data write nothing.</summary>
    internal virtual void WriteInfoData(NetlinkRequest request)
    {
    }

    /// <summary>True when the kind writes IFLA_INFO_DATA at all (the kernel rejects an empty one for some kinds).</summary>
    internal virtual bool HasInfoData => false;

    /// <summary>The arguments after <c>type</c> in the equivalent <c>ip link add</c>, for error messages.</summary>
    internal virtual string Describe() => Kind;
}
