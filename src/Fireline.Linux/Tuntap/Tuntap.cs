using System.Globalization;
using System.Text;
using Fireline.Linux.Interop;
using Fireline.Linux.Rtnetlink;

// Namespace Fireline.Linux, not one named after the folder: it would shadow the class of the same name.
namespace Fireline.Linux;

/// <summary>
/// TUN/TAP devices through the tun driver's ioctls on <c>/dev/net/tun</c>. The driver creates the device in
/// the network namespace of the thread that opens <c>/dev/net/tun</c>, so run these inside the target
/// namespace: in <see cref="Namespaces.NetworkNamespace.Run(Action)"/> or the <c>inside</c> callback of
/// <see cref="Namespaces.NetworkNamespace.Create"/>. A persistent TAP is deleted like any link, with
/// <see cref="Links.Delete"/> (<c>ip link del NAME</c>): that works even while a VMM holds it open, which
/// the ioctl way (<c>ip tuntap del</c>, TUNSETPERSIST 0) does not.
/// </summary>
public static class Tuntap
{
    /// <summary>
    /// Creates a persistent TAP device in the calling thread's namespace, owned by
    /// <see cref="TapOptions.Owner"/>/<see cref="TapOptions.Group"/> so an unprivileged (jailed) VMM can attach
    /// to it. Throws <see cref="KernelObjectExistsException"/> (EBUSY) when any link already has the name, and
    /// <see cref="KernelPermissionException"/> without CAP_NET_ADMIN.
    /// <c>ip tuntap add dev NAME mode tap [user UID] [group GID] [vnet_hdr] [multi_queue]</c>
    /// </summary>
    public static void CreatePersistentTap(string name, TapOptions? options = null)
    {
        LinkName.Validate(name);
        options ??= new TapOptions();
        var operation = Describe(name, options);
        using var tun = Libc.Open(Tun.DevicePath, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
        if (tun.IsInvalid)
        {
            throw KernelException.FromLastError(KernelObjectKind.TunTap, $"{operation} (open {Tun.DevicePath})", name);
        }

        // IFF_TUN_EXCL makes a taken name an error; without it the driver would attach to an existing TAP and
        // report success, hiding that the name was someone else's.
        var flags = (short)(Tun.IFF_TAP | Tun.IFF_NO_PI | Tun.IFF_TUN_EXCL);
        flags |= options.VnetHeader ? Tun.IFF_VNET_HDR : (short)0;
        flags |= options.MultiQueue ? Tun.IFF_MULTI_QUEUE : (short)0;
        var request = IfReq.Create(name, flags);
        Check(Libc.Ioctl(tun, Tun.TUNSETIFF, ref request), operation, name);

        // Until TUNSETPERSIST the device lives only as long as this descriptor: a failure below closes it and
        // the kernel removes the half-made device, so there is nothing to undo.
        if (options.Owner is { } owner)
        {
            Check(Libc.Ioctl(tun, Tun.TUNSETOWNER, (nint)owner), operation, name);
        }

        if (options.Group is { } group)
        {
            Check(Libc.Ioctl(tun, Tun.TUNSETGROUP, (nint)group), operation, name);
        }

        Check(Libc.Ioctl(tun, Tun.TUNSETPERSIST, 1), operation, name);
    }

    /// <summary>
    /// Gives an existing persistent TAP device (in the calling thread's namespace) its owner and/or group, by
    /// attaching to it for the time of two ioctls: the tun driver takes them from an attached descriptor only.
    /// Throws <see cref="KernelObjectExistsException"/> (EBUSY) while another process (a VMM) has it open.
    /// <c>ip tuntap add dev NAME mode tap [user UID] [group GID]</c> on an existing device
    /// </summary>
    public static void SetOwnership(string name, uint? owner, uint? group)
    {
        LinkName.Validate(name);
        var operation = Describe(name, new TapOptions { Owner = owner, Group = group });
        using var tun = Libc.Open(Tun.DevicePath, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
        if (tun.IsInvalid)
        {
            throw KernelException.FromLastError(KernelObjectKind.TunTap, $"{operation} (open {Tun.DevicePath})", name);
        }

        // Without IFF_TUN_EXCL the driver attaches to the existing device; the flags must match how it was made.
        var request = IfReq.Create(name, (short)(Tun.IFF_TAP | Tun.IFF_NO_PI));
        Check(Libc.Ioctl(tun, Tun.TUNSETIFF, ref request), operation, name);
        if (owner is { } uid)
        {
            Check(Libc.Ioctl(tun, Tun.TUNSETOWNER, (nint)uid), operation, name);
        }

        if (group is { } gid)
        {
            Check(Libc.Ioctl(tun, Tun.TUNSETGROUP, (nint)gid), operation, name);
        }
    }

    /// <summary>
    /// Takes back an existing persistent TAP (in the calling thread's namespace) that no process holds, for a next
    /// user, and clears what a previous holder could have set on it through its descriptor: offloads, the vnet header
    /// size, a MAC filter, BPF steering and filter programs, the send buffer. Attaching is the proof that no one holds
    /// it: the driver lets one descriptor attach to a single-queue device, and answers EBUSY
    /// (<see cref="KernelObjectExistsException"/>) while a VMM has it open. Its owner and group cannot be cleared (the
    /// driver takes no "none"): give back only a TAP that has neither. The device's counters go on (see the caller).
    /// </summary>
    public static void Reclaim(string name)
    {
        LinkName.Validate(name);
        var operation = $"reclaim TAP {name} (attach and reset)";
        using var tun = Libc.Open(Tun.DevicePath, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
        if (tun.IsInvalid)
        {
            throw KernelException.FromLastError(KernelObjectKind.TunTap, $"{operation} (open {Tun.DevicePath})", name);
        }

        // Without IFF_TUN_EXCL the driver attaches to the existing device; the flags must match how it was made.
        var request = IfReq.Create(name, (short)(Tun.IFF_TAP | Tun.IFF_NO_PI));
        Check(Libc.Ioctl(tun, Tun.TUNSETIFF, ref request), operation, name);
        Check(Libc.Ioctl(tun, Tun.TUNSETOFFLOAD, 0), operation, name);
        var value = Tun.DefaultVnetHeaderSize;
        Check(Libc.Ioctl(tun, Tun.TUNSETVNETHDRSZ, ref value), operation, name);
        value = 0; // struct tun_filter { u16 flags; u16 count; }: no addresses, no filter
        Check(Libc.Ioctl(tun, Tun.TUNSETTXFILTER, ref value), operation, name);
        value = -1;
        Check(Libc.Ioctl(tun, Tun.TUNSETSTEERINGEBPF, ref value), operation, name);
        value = -1;
        Check(Libc.Ioctl(tun, Tun.TUNSETFILTEREBPF, ref value), operation, name);
        value = int.MaxValue; // what a new device's socket starts with
        Check(Libc.Ioctl(tun, Tun.TUNSETSNDBUF, ref value), operation, name);
    }

    private static void Check(int result, string operation, string name)
    {
        if (result != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.TunTap, operation, name);
        }
    }

    private static string Describe(string name, TapOptions options)
    {
        var text = new StringBuilder("ip tuntap add dev ").Append(name).Append(" mode tap");
        if (options.Owner is { } owner)
        {
            text.Append(CultureInfo.InvariantCulture, $" user {owner}");
        }

        if (options.Group is { } group)
        {
            text.Append(CultureInfo.InvariantCulture, $" group {group}");
        }

        if (options.VnetHeader)
        {
            text.Append(" vnet_hdr");
        }

        if (options.MultiQueue)
        {
            text.Append(" multi_queue");
        }

        return text.ToString();
    }
}
