using System.Buffers.Binary;
using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Linux.TrafficControl;

/// <summary>
/// Builds tc messages (qdiscs, HTB classes, redirect filters) into a <see cref="NetlinkRequest"/>, so several
/// can go to the kernel in one send. tc addresses devices by index only, so each builder takes the
/// <see cref="Link"/> (index and name; the name is for error messages). <see cref="TrafficControl"/> wraps
/// each in an exchange.
/// </summary>
internal static class TcRequests
{
    /// <summary>The priority (<c>prio</c>) <see cref="Redirect"/> installs its filter at.</summary>
    public const ushort RedirectPriority = 1;

    /// <summary>
    /// <c>800::800</c>, the first rule of a u32 classifier's default hash table. Naming it lets a replace find
    /// the rule it replaces instead of adding a second one.
    /// </summary>
    public const uint RedirectRuleHandle = 0x80000800;

    // ETH_P_ALL, in network byte order as tcm_info carries it.
    private const ushort ProtocolAllBigEndian = 0x0300;
    private static readonly Ingress IngressQdisc = new();

    /// <summary><c>tc qdisc add|replace dev NAME ...</c></summary>
    public static NetlinkRequest AddQdisc(NetlinkRequest request, Link device, QdiscKind qdisc, bool replace = false)
    {
        request.Begin(RtnlMessageType.NewQdisc, NewFlags(replace, NetlinkFlags.Replace),
                $"tc qdisc {(replace ? "replace" : "add")} dev {device.Name} {qdisc.Describe()}", KernelObjectKind.TrafficControl, device.Name)
            .Struct(new TcMsg { Index = device.Index, Handle = qdisc.Handle.Value, Parent = qdisc.Parent.Value })
            .String(Tca.Kind, qdisc.Kind);
        qdisc.WriteOptions(request);
        return request.End();
    }

    /// <summary><c>tc qdisc del dev NAME root|ingress|parent P</c></summary>
    public static NetlinkRequest DeleteQdisc(NetlinkRequest request, Link device, TcHandle parent)
        => request.Begin(RtnlMessageType.DelQdisc, NetlinkFlags.Ack, $"tc qdisc del dev {device.Name} {Where(parent)}", KernelObjectKind.TrafficControl, device.Name)
            .Struct(new TcMsg { Index = device.Index, Parent = parent.Value })
            .End();

    /// <summary><c>tc qdisc show</c> (every device)</summary>
    public static NetlinkRequest ListQdiscs(NetlinkRequest request)
        => request.Begin(RtnlMessageType.GetQdisc, NetlinkFlags.Dump, "tc qdisc show", KernelObjectKind.TrafficControl, null)
            .Struct(new TcMsg())
            .End();

    /// <summary><c>tc class add|replace dev NAME parent P classid C htb ...</c></summary>
    public static NetlinkRequest AddClass(NetlinkRequest request, Link device, HtbClass htbClass, bool replace = false)
    {
        // Without NLM_F_EXCL an existing class is changed in place, which is what tc's "replace" sends.
        request.Begin(RtnlMessageType.NewTClass, NewFlags(replace, NetlinkFlags.None),
                $"tc class {(replace ? "replace" : "add")} dev {device.Name} {htbClass.Describe()}", KernelObjectKind.TrafficControl, device.Name)
            .Struct(new TcMsg { Index = device.Index, Handle = htbClass.ClassId.Value, Parent = htbClass.Parent.Value })
            .String(Tca.Kind, "htb");
        htbClass.WriteOptions(request);
        return request.End();
    }

    /// <summary>
    /// <c>tc filter add|replace dev NAME parent ffff: protocol all prio P handle 800::800 u32 match u32 0 0 action
    /// mirred egress redirect dev TARGET</c>: every frame the device receives leaves through TARGET's egress
    /// (and its root qdisc). The ingress qdisc must exist. This kernel has no matchall classifier; a u32 rule
    /// with one all-zero key matches everything the same way.
    /// </summary>
    public static NetlinkRequest AddRedirectFilter(NetlinkRequest request, Link device, Link target, ushort priority = RedirectPriority, bool replace = false)
    {
        // For filters, NLM_F_CREATE without NLM_F_EXCL replaces a rule with the same handle (tc's "replace").
        request.Begin(RtnlMessageType.NewTFilter, NewFlags(replace, NetlinkFlags.None),
                $"tc filter {(replace ? "replace" : "add")} dev {device.Name} parent ffff: protocol all prio {priority} handle 800::800 u32 match u32 0 0 action mirred egress redirect dev {target.Name}",
                KernelObjectKind.TrafficControl, device.Name)
            .Struct(new TcMsg { Index = device.Index, Handle = RedirectRuleHandle, Parent = TcHandle.IngressQdisc.Value, Info = FilterInfo(priority, ProtocolAllBigEndian) })
            .String(Tca.Kind, "u32");
        var options = request.BeginNested(Tca.Options);
        var actions = request.BeginNested(TcaU32.Actions);
        var first = request.BeginNested(1);
        request.String(TcaAction.Kind, "mirred");
        var actionOptions = request.BeginNested(TcaAction.Options, markNested: true);
        TcStruct.Write(request, TcaAction.MirredParms, new TcMirred
        {
            Action = TcaAction.Stolen,
            ExtendedAction = TcaAction.EgressRedirect,
            InterfaceIndex = target.Index,
        });
        request.EndNested(actionOptions).EndNested(first).EndNested(actions);
        TcStruct.Write(request, TcaU32.Selector, new TcU32SelectorOneKey { Flags = TcaU32.Terminal, KeyCount = 1 });
        request.EndNested(options);
        return request.End();
    }

    /// <summary><c>tc filter del dev NAME parent ffff: prio P</c>: every filter of that priority on the ingress qdisc.</summary>
    public static NetlinkRequest DeleteFilter(NetlinkRequest request, Link device, ushort priority)
        => request.Begin(RtnlMessageType.DelTFilter, NetlinkFlags.Ack, $"tc filter del dev {device.Name} parent ffff: prio {priority}", KernelObjectKind.TrafficControl, device.Name)
            .Struct(new TcMsg { Index = device.Index, Parent = TcHandle.IngressQdisc.Value, Info = FilterInfo(priority, 0) })
            .End();

    /// <summary><c>tc filter show dev NAME parent ffff:</c></summary>
    public static NetlinkRequest ListFilters(NetlinkRequest request, Link device)
        => request.Begin(RtnlMessageType.GetTFilter, NetlinkFlags.Dump, $"tc filter show dev {device.Name} parent ffff:", KernelObjectKind.TrafficControl, device.Name)
            .Struct(new TcMsg { Index = device.Index, Parent = TcHandle.IngressQdisc.Value })
            .End();

    /// <summary>
    /// <c>tc qdisc replace dev FROM ingress; tc filter replace dev FROM parent ffff: ... redirect dev TO</c>:
    /// one direction of a join, idempotent (running it again leaves one qdisc and one rule).
    /// </summary>
    public static NetlinkRequest Redirect(NetlinkRequest request, Link from, Link to)
        => AddRedirectFilter(AddQdisc(request, from, IngressQdisc, replace: true), from, to, RedirectPriority, replace: true);

    /// <summary>
    /// Joins two devices without a bridge: <see cref="Redirect"/> both ways, then <c>ip link set A up; ip link
    /// set B up</c>, six messages for one send; with <paramref name="alias"/>, then <c>ip link set A alias TEXT;
    /// ip link set B alias TEXT</c> as well, eight.
    /// </summary>
    public static NetlinkRequest Join(NetlinkRequest request, Link a, Link b, string? alias = null)
    {
        Redirect(request, a, b);
        Redirect(request, b, a);
        LinkRequests.SetUp(request, a.Name);
        LinkRequests.SetUp(request, b.Name);
        if (alias is not null)
        {
            LinkRequests.SetAlias(request, a.Index, a.Name, alias);
            LinkRequests.SetAlias(request, b.Index, b.Name, alias);
        }

        return request;
    }

    /// <summary>Reads an RTM_NEWQDISC reply.</summary>
    public static Qdisc ParseQdisc(NetlinkMessage message)
    {
        var header = message.Header<TcMsg>();
        var kind = "";
        foreach (var attribute in message.Attributes<TcMsg>())
        {
            if (attribute.Type == Tca.Kind)
            {
                kind = attribute.String;
            }
        }

        return new Qdisc { InterfaceIndex = header.Index, Kind = kind, Handle = new TcHandle(header.Handle), Parent = new TcHandle(header.Parent) };
    }

    /// <summary>Reads an RTM_NEWTFILTER reply, with the target of a mirred redirect action if it has one.</summary>
    public static Filter ParseFilter(NetlinkMessage message)
    {
        var header = message.Header<TcMsg>();
        var kind = "";
        int? redirect = null;
        foreach (var attribute in message.Attributes<TcMsg>())
        {
            if (attribute.Type == Tca.Kind)
            {
                kind = attribute.String;
            }
            else if (attribute.Type == Tca.Options)
            {
                foreach (var option in attribute.Nested)
                {
                    if (option.Type == TcaU32.Actions)
                    {
                        redirect ??= FindRedirect(option.Nested);
                    }
                }
            }
        }

        return new Filter
        {
            InterfaceIndex = header.Index,
            Kind = kind,
            Parent = new TcHandle(header.Parent),
            Priority = (ushort)(header.Info >> 16),
            Protocol = BinaryPrimitives.ReverseEndianness((ushort)header.Info),
            Handle = header.Handle,
            RedirectIndex = redirect,
        };
    }

    private static int? FindRedirect(AttributeReader actions)
    {
        foreach (var action in actions)
        {
            var isMirred = false;
            int? target = null;
            foreach (var field in action.Nested)
            {
                if (field.Type == TcaAction.Kind)
                {
                    isMirred = field.String == "mirred";
                }
                else if (field.Type == TcaAction.Options)
                {
                    foreach (var option in field.Nested)
                    {
                        // tc_mirred: tc_gen (20 bytes), then eaction and ifindex.
                        if (option.Type == TcaAction.MirredParms && option.Value.Length >= 28 &&
                            BinaryPrimitives.ReadInt32LittleEndian(option.Value[20..]) == TcaAction.EgressRedirect)
                        {
                            target = BinaryPrimitives.ReadInt32LittleEndian(option.Value[24..]);
                        }
                    }
                }
            }

            if (isMirred && target is not null)
            {
                return target;
            }
        }

        return null;
    }

    /// <summary>Add refuses an existing object (NLM_F_EXCL); replace takes what tc sends for that object type.</summary>
    private static NetlinkFlags NewFlags(bool replace, NetlinkFlags replaceFlags)
        => NetlinkFlags.Create | NetlinkFlags.Ack | (replace ? replaceFlags : NetlinkFlags.Exclusive);

    private static uint FilterInfo(ushort priority, ushort protocolBigEndian) => ((uint)priority << 16) | protocolBigEndian;

    private static string Where(TcHandle parent) => parent == TcHandle.Root || parent == TcHandle.Ingress ? parent.ToString() : $"parent {parent}";
}
