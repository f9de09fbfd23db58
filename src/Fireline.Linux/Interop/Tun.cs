namespace Fireline.Linux.Interop;

/// <summary>The tun driver's ioctls and interface flags (linux/if_tun.h).</summary>
internal static class Tun
{
    public const string DevicePath = "/dev/net/tun";

    // _IOW('T', nr, int): direction write, size 4, type 'T'.
    public const nuint TUNSETIFF = 0x400454ca;
    public const nuint TUNSETPERSIST = 0x400454cb;
    public const nuint TUNSETOWNER = 0x400454cc;
    public const nuint TUNSETGROUP = 0x400454ce;
    public const nuint TUNSETOFFLOAD = 0x400454d0;
    public const nuint TUNSETTXFILTER = 0x400454d1;
    public const nuint TUNSETSNDBUF = 0x400454d4;
    public const nuint TUNSETVNETHDRSZ = 0x400454d8;

    // _IOR('T', nr, int), though the kernel reads the int (a BPF program's descriptor, -1 for none).
    public const nuint TUNSETSTEERINGEBPF = 0x800454e0;
    public const nuint TUNSETFILTEREBPF = 0x800454e1;

    /// <summary>sizeof(struct virtio_net_hdr): the header size a new device starts with.</summary>
    public const int DefaultVnetHeaderSize = 10;

    public const short IFF_TAP = 0x0002;
    public const short IFF_MULTI_QUEUE = 0x0100;
    public const short IFF_NO_PI = 0x1000;
    public const short IFF_VNET_HDR = 0x4000;

    /// <summary>Fail with EBUSY instead of attaching when a device of that name exists.</summary>
    public const short IFF_TUN_EXCL = unchecked((short)0x8000);
}
