using System.Runtime.CompilerServices;
using Fireline.Linux;
using Fireline.Linux.Interop;

namespace Fireline.Tests.Linux;

public sealed class TuntapTests
{
    [Theory]
    [InlineData("")]
    [InlineData("tap-name-of-16ch")]
    [InlineData("tap/0")]
    [InlineData("tap 0")]
    [InlineData("tap:0")]
    public void Refuses_an_invalid_name_before_any_system_call(string name)
        => Assert.Throws<ArgumentException>(() => Tuntap.CreatePersistentTap(name, new TapOptions()));

    [Fact]
    public void Ifreq_has_the_kernel_layout()
    {
        Assert.Equal(40, Unsafe.SizeOf<IfReq>());
        var request = IfReq.Create("tap0", Tun.IFF_TAP | Tun.IFF_NO_PI);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<IfReq>(in request));
        Assert.Equal("tap0\0"u8.ToArray(), bytes[..5].ToArray());
        Assert.All(bytes[5..16].ToArray(), b => Assert.Equal(0, b));
        Assert.Equal([0x02, 0x10], bytes[16..18].ToArray());
    }

    [Fact]
    public void A_taken_tap_name_is_an_exists_error_of_kind_tuntap()
    {
        var error = KernelException.Create((int)Errno.EBUSY, KernelObjectKind.TunTap, "ip tuntap add dev tap0 mode tap", "tap0");
        var exists = Assert.IsType<KernelObjectExistsException>(error);
        Assert.Equal(KernelObjectKind.TunTap, exists.Kind);
        Assert.Equal(Errno.EBUSY, exists.Errno);
    }
}
