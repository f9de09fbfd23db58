using Fireline.Linux;
using Fireline.Linux.Interop;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

[Trait("Category", Categories.Integration)]
public sealed class TuntapTests : IDisposable
{
    private readonly TestHost _host = new();

    [Fact]
    public void Creates_a_persistent_tap_only_inside_the_vm_namespace_with_owner_and_group()
    {
        var nsName = VmNamespaceName("tap");
        using var ns = NetworkNamespace.Create(nsName, () =>
            Tuntap.CreatePersistentTap("tap0", new TapOptions { Owner = 1234, Group = 2345, VnetHeader = true }));

        var link = Ip.Link(nsName, "tap0");
        Assert.NotNull(link);
        var info = link.Value.GetProperty("linkinfo");
        Assert.Equal("tun", info.GetProperty("info_kind").GetString());
        var data = info.GetProperty("info_data");
        Assert.Equal("tap", data.GetProperty("type").GetString());
        Assert.True(data.GetProperty("persist").GetBoolean());
        Assert.False(data.GetProperty("pi").GetBoolean());
        Assert.True(data.GetProperty("vnet_hdr").GetBoolean());
        Assert.False(data.GetProperty("multi_queue").GetBoolean());
        Assert.Equal(1234, data.GetProperty("user").GetInt32());
        Assert.Equal(2345, data.GetProperty("group").GetInt32());

        Assert.Null(Ip.Link(_host.HostNamespaceName, "tap0"));
        Assert.NotEqual(0, Tool.TryRun("ip", "link", "show", "dev", "tap0").ExitCode);
    }

    [Fact]
    public void A_vmm_attaching_like_firecracker_brings_the_carrier_up_until_it_lets_go()
    {
        var nsName = VmNamespaceName("carrier");
        using var ns = NetworkNamespace.Create(nsName, () =>
        {
            Tuntap.CreatePersistentTap("tap0", new TapOptions());
            using var rtnl = Rtnl.Open();
            rtnl.Links.SetUp("tap0");
        });
        Assert.DoesNotContain("LOWER_UP", Flags(nsName, "tap0"));
        Assert.Contains("NO-CARRIER", Flags(nsName, "tap0"));

        using (var attached = ns.Run(() => AttachLikeFirecracker("tap0")))
        {
            Assert.Contains("LOWER_UP", Flags(nsName, "tap0"));
            Eventually(() => !Flags(nsName, "tap0").Contains("NO-CARRIER"));
            // Created without vnet_hdr, it takes the attacher's flags.
            Assert.True(Ip.Link(nsName, "tap0")!.Value.GetProperty("linkinfo").GetProperty("info_data").GetProperty("vnet_hdr").GetBoolean());
        }

        Assert.DoesNotContain("LOWER_UP", Flags(nsName, "tap0"));
        Assert.True(Ip.Link(nsName, "tap0")!.Value.GetProperty("linkinfo").GetProperty("info_data").GetProperty("persist").GetBoolean());
    }

    [Fact]
    public void Only_its_owner_and_group_attach_without_privileges()
    {
        var nsName = VmNamespaceName("owner");
        using var ns = NetworkNamespace.Create(nsName, () =>
        {
            Tuntap.CreatePersistentTap("tap0", new TapOptions { Owner = 1234, Group = 2345 });
            Tuntap.CreatePersistentTap("tap1", new TapOptions { Group = 2345 });
        });

        var asOwner = JailedVmm.Attach(nsName, "tap0", uid: 1234, gid: 2345);
        Assert.True(asOwner.ExitCode == 0, asOwner.StandardError);
        Assert.Equal("attached", asOwner.StandardOutput.Trim());
        var asGroupMember = JailedVmm.Attach(nsName, "tap1", uid: 4321, gid: 2345);
        Assert.True(asGroupMember.ExitCode == 0, asGroupMember.StandardError);

        // With both set, the driver wants both: the owner in another group is refused, like a stranger.
        foreach (var (tap, uid, gid) in new[] { ("tap0", 1234, 1234), ("tap0", 4321, 2345), ("tap1", 4321, 4321) })
        {
            var refused = JailedVmm.Attach(nsName, tap, uid, gid);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("Operation not permitted", refused.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Owner_and_group_are_read_back_and_given_again_to_an_existing_tap_unless_a_vmm_holds_it()
    {
        var nsName = VmNamespaceName("chown");
        using var ns = NetworkNamespace.Create(nsName, () => Tuntap.CreatePersistentTap("tap0", new TapOptions { Owner = 1234 }));
        using var rtnl = Rtnl.Open(ns);
        rtnl.Links.Create(new LinkSpec("br0", new Bridge()));
        Assert.Equal((1234u, (uint?)null), (rtnl.Links.TryGet("tap0")!.TunOwner, rtnl.Links.TryGet("tap0")!.TunGroup));
        Assert.Equal(((uint?)null, (uint?)null), (rtnl.Links.TryGet("br0")!.TunOwner, rtnl.Links.TryGet("br0")!.TunGroup));

        ns.Run(() => Tuntap.SetOwnership("tap0", 4321, 5432));

        var tap = rtnl.Links.TryGet("tap0")!;
        Assert.Equal((4321u, 5432u), (tap.TunOwner, tap.TunGroup));
        var data = Ip.Link(nsName, "tap0")!.Value.GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal((4321, 5432), (data.GetProperty("user").GetInt32(), data.GetProperty("group").GetInt32()));
        Assert.True(data.GetProperty("persist").GetBoolean());
        Assert.Equal("attached", JailedVmm.Attach(nsName, "tap0", 4321, 5432).StandardOutput.Trim());

        using var attached = ns.Run(() => AttachLikeFirecracker("tap0"));
        var busy = Assert.Throws<KernelObjectExistsException>(() => ns.Run(() => Tuntap.SetOwnership("tap0", 1, 1)));
        Assert.Equal(Errno.EBUSY, busy.Errno);
        Assert.Equal((4321u, 5432u), (rtnl.Links.TryGet("tap0")!.TunOwner, rtnl.Links.TryGet("tap0")!.TunGroup));
    }

    [Fact]
    public void A_taken_name_is_a_typed_exists_error_and_leaves_the_holder_alone()
    {
        var nsName = VmNamespaceName("taken");
        using var ns = NetworkNamespace.Create(nsName, () => Tuntap.CreatePersistentTap("tap0", new TapOptions { Owner = 1234 }));
        using (var rtnl = Rtnl.Open(ns))
        {
            rtnl.Links.Create(new LinkSpec("br0", new Bridge()));
        }

        foreach (var name in new[] { "tap0", "br0" })
        {
            var error = Assert.Throws<KernelObjectExistsException>(() => ns.Run(() => Tuntap.CreatePersistentTap(name, new TapOptions())));
            Assert.Equal(Errno.EBUSY, error.Errno);
            Assert.Equal(KernelObjectKind.TunTap, error.Kind);
            Assert.Equal(name, error.ObjectName);
            Assert.Contains($"ip tuntap add dev {name} mode tap", error.Message, StringComparison.Ordinal);
        }

        var data = Ip.Link(nsName, "tap0")!.Value.GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal(1234, data.GetProperty("user").GetInt32());
        Assert.Equal("bridge", Ip.Link(nsName, "br0")!.Value.GetProperty("linkinfo").GetProperty("info_kind").GetString());
    }

    [Fact]
    public void Link_delete_removes_a_persistent_tap_even_while_attached()
    {
        var nsName = VmNamespaceName("delete");
        using var ns = NetworkNamespace.Create(nsName, () => Tuntap.CreatePersistentTap("tap0", new TapOptions()));
        using var attached = ns.Run(() => AttachLikeFirecracker("tap0"));

        using (var rtnl = Rtnl.Open(ns))
        {
            rtnl.Links.Delete("tap0");
        }

        Assert.Null(Ip.Link(nsName, "tap0"));
    }

    public void Dispose() => _host.Dispose();

    private string VmNamespaceName(string vm) => "vm-" + _host.VmId(vm);

    /// <summary>Opens /dev/net/tun in the calling thread's namespace and attaches as Firecracker's tap.rs does.</summary>
    private static SafeFd AttachLikeFirecracker(string name)
    {
        const int O_NONBLOCK = 0x800;
        var fd = Libc.Open(Tun.DevicePath, Libc.O_RDWR | Libc.O_CLOEXEC | O_NONBLOCK, 0);
        Assert.False(fd.IsInvalid);
        var request = IfReq.Create(name, Tun.IFF_TAP | Tun.IFF_NO_PI | Tun.IFF_VNET_HDR);
        Assert.Equal(0, Libc.Ioctl(fd, Tun.TUNSETIFF, ref request));
        return fd;
    }

    private static List<string> Flags(string nsName, string link)
        => [.. Ip.Link(nsName, link)!.Value.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!)];

    /// <summary>Operational state follows carrier through the kernel's linkwatch, which may lag by up to a second.</summary>
    private static void Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 5 s");
            Thread.Sleep(50);
        }
    }
}
