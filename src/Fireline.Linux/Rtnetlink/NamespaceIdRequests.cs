using System.Globalization;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// Builds namespace-id messages (RTM_GETNSID, RTM_NEWNSID) into a <see cref="NetlinkRequest"/>. A namespace id
/// is the number under which the socket's namespace knows another one; IFLA_LINK_NETNSID speaks in these.
/// </summary>
internal static class NamespaceIdRequests
{
    private const ushort NetnsaNsId = 1;
    private const ushort NetnsaFd = 3;

    /// <summary>NETNSA_NSID_NOT_ASSIGNED: no id yet (in a reply), or "pick one" (in RTM_NEWNSID).</summary>
    private const int NotAssigned = -1;

    /// <summary><c>ip netns list</c> (the "(id: N)" it shows for NAME)</summary>
    public static NetlinkRequest Get(NetlinkRequest request, NetworkNamespace target)
        => Get(request, target.FileDescriptor, Describe(target));

    /// <summary><c>ip netns set NAME ID|auto</c> (null: auto)</summary>
    public static NetlinkRequest Assign(NetlinkRequest request, NetworkNamespace target, int? id)
        => Assign(request, target.FileDescriptor, Describe(target), id);

    /// <summary>Reads the RTM_NEWNSID reply to a get: the id, or null when none is assigned.</summary>
    public static int? Parse(NetlinkMessage message)
    {
        foreach (var attribute in message.Attributes<RtGenMsg>())
        {
            if (attribute.Type == NetnsaNsId)
            {
                return attribute.S32 == NotAssigned ? null : attribute.S32;
            }
        }

        return null;
    }

    internal static NetlinkRequest Get(NetlinkRequest request, int fd, string name)
        => request.Begin(RtnlMessageType.GetNsId, NetlinkFlags.None, $"ip netns list (id of {name})", KernelObjectKind.NamespaceId, name)
            .Struct(new RtGenMsg())
            .U32(NetnsaFd, (uint)fd)
            .End();

    internal static NetlinkRequest Assign(NetlinkRequest request, int fd, string name, int? id)
    {
        if (id is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, "a namespace id is 0 or more (null picks one)");
        }

        return request.Begin(RtnlMessageType.NewNsId, NetlinkFlags.Ack,
                $"ip netns set {name} {id?.ToString(CultureInfo.InvariantCulture) ?? "auto"}", KernelObjectKind.NamespaceId, name)
            .Struct(new RtGenMsg())
            .U32(NetnsaFd, (uint)fd)
            .S32(NetnsaNsId, id ?? NotAssigned)
            .End();
    }

    private static string Describe(NetworkNamespace target) => target.Name ?? target.Path;
}
