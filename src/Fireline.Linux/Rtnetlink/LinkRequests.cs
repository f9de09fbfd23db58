using Fireline.Linux.Namespaces;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// Builds link messages into a <see cref="NetlinkRequest"/>, so several can go to the kernel in one send.
/// <see cref="Links"/> wraps each in a single-message exchange.
/// </summary>
internal static class LinkRequests
{
    private const byte AfBridge = 7;

    /// <summary><c>ip link add NAME [mtu M] [address A] [master B] [up] [netns NS] type KIND ...</c></summary>
    public static NetlinkRequest Create(NetlinkRequest request, LinkSpec spec)
    {
        spec.Kind.Validate();
        request.Begin(RtnlMessageType.NewLink, NetlinkFlags.Create | NetlinkFlags.Exclusive | NetlinkFlags.Ack,
                $"ip link add {spec.Name} type {spec.Kind.Describe()}", KernelObjectKind.Link, spec.Name)
            .Struct(new IfInfoMsg { Flags = spec.Up ? (uint)InterfaceFlags.Up : 0, Change = spec.Up ? (uint)InterfaceFlags.Up : 0 });
        // Top-level attributes of the kind (a VLAN's parent) come first, where iproute2 puts IFLA_LINK.
        spec.Kind.WriteTopLevel(request);
        request.String(Ifla.IfName, spec.Name);
        if (spec.Mtu is { } mtu)
        {
            request.U32(Ifla.Mtu, (uint)mtu);
        }

        if (spec.TxQueueLength is { } queueLength)
        {
            request.U32(Ifla.TxQueueLength, (uint)queueLength);
        }

        if (spec.Address is { } address)
        {
            request.Attribute(Ifla.Address, address.ToBytes());
        }

        if (spec.MasterIndex is { } master)
        {
            request.U32(Ifla.Master, (uint)master);
        }

        if (spec.Namespace is not null)
        {
            request.U32(Ifla.NetNsFd, (uint)spec.Namespace.FileDescriptor);
        }

        var info = request.BeginNested(Ifla.LinkInfo);
        // Without the NUL, as iproute2 sends it (the kernel's NLA_STRING takes both), so the bytes match its own.
        request.Attribute(Ifla.InfoKind, System.Text.Encoding.ASCII.GetBytes(spec.Kind.Kind));
        if (spec.Kind.HasInfoData)
        {
            var data = request.BeginNested(Ifla.InfoData);
            spec.Kind.WriteInfoData(request);
            request.EndNested(data);
        }

        request.EndNested(info);
        return request.End();
    }

    /// <summary><c>ip link del NAME</c></summary>
    public static NetlinkRequest Delete(NetlinkRequest request, string name)
        => ByName(request, RtnlMessageType.DelLink, NetlinkFlags.Ack, $"ip link del {name}", name).End();

    /// <summary><c>ip link set NAME up|down</c></summary>
    public static NetlinkRequest SetUp(NetlinkRequest request, string name, bool up = true)
    {
        request.Begin(RtnlMessageType.SetLink, NetlinkFlags.Ack, $"ip link set {name} {(up ? "up" : "down")}", KernelObjectKind.Link, LinkName.Validate(name))
            .Struct(new IfInfoMsg { Flags = up ? (uint)InterfaceFlags.Up : 0, Change = (uint)InterfaceFlags.Up })
            .String(Ifla.IfName, name);
        return request.End();
    }

    /// <summary><c>ip link set NAME master BRIDGE</c> (index 0: <c>nomaster</c>)</summary>
    public static NetlinkRequest SetMaster(NetlinkRequest request, string name, int masterIndex)
        => ByName(request, RtnlMessageType.SetLink, NetlinkFlags.Ack,
            masterIndex == 0 ? $"ip link set {name} nomaster" : $"ip link set {name} master {masterIndex}", name)
            .U32(Ifla.Master, (uint)masterIndex).End();

    /// <summary><c>ip link set NAME address MAC</c></summary>
    public static NetlinkRequest SetAddress(NetlinkRequest request, string name, MacAddress address)
        => ByName(request, RtnlMessageType.SetLink, NetlinkFlags.Ack, $"ip link set {name} address {address}", name)
            .Attribute(Ifla.Address, address.ToBytes()).End();

    /// <summary><c>ip link set NAME mtu MTU</c></summary>
    public static NetlinkRequest SetMtu(NetlinkRequest request, string name, int mtu)
        => ByName(request, RtnlMessageType.SetLink, NetlinkFlags.Ack, $"ip link set {name} mtu {mtu}", name)
            .U32(Ifla.Mtu, (uint)mtu).End();

    /// <summary><c>ip link set NAME name NEWNAME</c> (the link must be down)</summary>
    public static NetlinkRequest Rename(NetlinkRequest request, int index, string newName)
    {
        request.Begin(RtnlMessageType.SetLink, NetlinkFlags.Ack, $"ip link set {index} name {newName}", KernelObjectKind.Link, LinkName.Validate(newName))
            .Struct(new IfInfoMsg { Index = index })
            .String(Ifla.IfName, newName);
        return request.End();
    }

    /// <summary><c>ip link set NAME netns NS</c></summary>
    public static NetlinkRequest MoveToNamespace(NetlinkRequest request, string name, NetworkNamespace target)
        => ByName(request, RtnlMessageType.SetLink, NetlinkFlags.Ack, $"ip link set {name} netns {target.Name ?? target.Path}", name)
            .U32(Ifla.NetNsFd, (uint)target.FileDescriptor).End();

    /// <summary>
    /// <c>ip link set NAME alias TEXT</c> (an empty text removes the alias). By index, as iproute2 sends it;
    /// <paramref name="name"/> only names the link in errors.
    /// </summary>
    public static NetlinkRequest SetAlias(NetlinkRequest request, int index, string name, string alias)
    {
        ValidateAlias(alias);
        request.Begin(RtnlMessageType.NewLink, NetlinkFlags.Ack, $"ip link set {name} alias {alias}", KernelObjectKind.Link, name)
            .Struct(new IfInfoMsg { Index = index })
            // Without the NUL, as iproute2 sends it; the kernel takes the attribute's length as the text's.
            .Attribute(Ifla.IfAlias, System.Text.Encoding.UTF8.GetBytes(alias));
        return request.End();
    }

    /// <summary>Checks an alias before it is written: under IFALIASZ bytes, no NUL (the kernel would cut the text there).</summary>
    public static string ValidateAlias(string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        if (System.Text.Encoding.UTF8.GetByteCount(alias) >= Ifla.AliasSize || alias.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"a link alias has fewer than {Ifla.AliasSize} bytes and no NUL: '{alias}'", nameof(alias));
        }

        return alias;
    }

    /// <summary><c>bridge link set dev NAME [isolated on|off] [learning on|off]</c></summary>
    public static NetlinkRequest SetBridgePort(NetlinkRequest request, int index, string name, bool? isolated, bool? learning, bool? neighSuppress = null)
    {
        var text = "bridge link set dev " + name + (isolated is { } i ? $" isolated {(i ? "on" : "off")}" : "") +
                   (learning is { } l ? $" learning {(l ? "on" : "off")}" : "") + (neighSuppress is { } n ? $" neigh_suppress {(n ? "on" : "off")}" : "");
        request.Begin(RtnlMessageType.SetLink, NetlinkFlags.Ack, text, KernelObjectKind.Link, name)
            .Struct(new IfInfoMsg { Family = AfBridge, Index = index });
        var protinfo = request.BeginNested(Ifla.ProtInfo, markNested: true);
        if (isolated is { } isolatedOn)
        {
            request.U8(Ifla.BridgePortIsolated, isolatedOn ? (byte)1 : (byte)0);
        }

        if (learning is { } learningOn)
        {
            request.U8(Ifla.BridgePortLearning, learningOn ? (byte)1 : (byte)0);
        }

        if (neighSuppress is { } suppressOn)
        {
            request.U8(Ifla.BridgePortNeighSuppress, suppressOn ? (byte)1 : (byte)0);
        }

        request.EndNested(protinfo);
        return request.End();
    }

    /// <summary><c>ip link show NAME</c></summary>
    public static NetlinkRequest Get(NetlinkRequest request, string name, bool withStatistics)
    {
        ByName(request, RtnlMessageType.GetLink, NetlinkFlags.Ack, $"ip link show {name}", name);
        if (!withStatistics)
        {
            request.U32(Ifla.ExtMask, Ifla.ExtFilterSkipStats);
        }

        return request.End();
    }

    /// <summary><c>ip link show</c> (all links)</summary>
    public static NetlinkRequest List(NetlinkRequest request, bool withStatistics)
    {
        request.Begin(RtnlMessageType.GetLink, NetlinkFlags.Dump, "ip link show", KernelObjectKind.Link, null)
            .Struct(new IfInfoMsg());
        if (!withStatistics)
        {
            request.U32(Ifla.ExtMask, Ifla.ExtFilterSkipStats);
        }

        return request.End();
    }

    private static NetlinkRequest ByName(NetlinkRequest request, ushort type, NetlinkFlags flags, string operation, string name)
        => request.Begin(type, flags, operation, KernelObjectKind.Link, LinkName.Validate(name))
            .Struct(new IfInfoMsg())
            .String(Ifla.IfName, name);

    /// <summary>Reads an RTM_NEWLINK reply.</summary>
    public static Link Parse(NetlinkMessage message)
    {
        var header = message.Header<IfInfoMsg>();
        string name = "";
        string? kind = null, portKind = null, alias = null;
        MacAddress? address = null;
        int mtu = 0;
        int? master = null, parent = null, linkNamespace = null;
        bool? carrier = null;
        uint? tunOwner = null, tunGroup = null;
        int? vlanId = null;
        var operState = OperationalState.Unknown;
        LinkStatistics? statistics = null;
        foreach (var attribute in message.Attributes<IfInfoMsg>())
        {
            switch (attribute.Type)
            {
                case Ifla.IfName: name = attribute.String; break;
                case Ifla.Address when attribute.Value.Length == MacAddress.Length: address = MacAddress.FromBytes(attribute.Value); break;
                case Ifla.Mtu: mtu = attribute.S32; break;
                case Ifla.Master: master = attribute.S32; break;
                case Ifla.Link: parent = attribute.S32; break;
                case Ifla.LinkNetNsId: linkNamespace = attribute.S32; break;
                case Ifla.OperState: operState = (OperationalState)attribute.U8; break;
                case Ifla.Carrier: carrier = attribute.U8 != 0; break;
                case Ifla.Stats64: statistics = LinkStatistics.Parse(attribute.Value); break;
                case Ifla.IfAlias when attribute.Value.Length > 0: alias = attribute.String; break;
                case Ifla.LinkInfo:
                    foreach (var info in attribute.Nested)
                    {
                        if (info.Type == Ifla.InfoKind)
                        {
                            kind = info.String;
                        }
                        else if (info.Type == Ifla.InfoSlaveKind)
                        {
                            portKind = info.String;
                        }
                        else if (info.Type == Ifla.InfoData)
                        {
                            // The numbers inside, and their sizes, depend on the kind, which the kernel sends
                            // first: attribute 1 is a tun device's owner (u32) but a VLAN's id (u16).
                            foreach (var data in info.Nested)
                            {
                                switch ((kind, data.Type))
                                {
                                    case ("tun", Ifla.TunOwner): tunOwner = data.U32; break;
                                    case ("tun", Ifla.TunGroup): tunGroup = data.U32; break;
                                    case ("vlan", Ifla.VlanId): vlanId = data.U16; break;
                                }
                            }
                        }
                    }

                    break;
            }
        }

        return new Link
        {
            Index = header.Index,
            Name = name,
            Kind = kind,
            PortKind = portKind,
            Address = address,
            Mtu = mtu,
            Flags = (InterfaceFlags)header.Flags,
            MasterIndex = master is 0 ? null : master,
            ParentIndex = parent,
            LinkNamespaceId = linkNamespace,
            OperationalState = operState,
            Carrier = carrier,
            TunOwner = tunOwner,
            TunGroup = tunGroup,
            VlanId = vlanId,
            Statistics = statistics,
            Alias = alias,
        };
    }
}
