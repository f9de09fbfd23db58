using System.Runtime.InteropServices;
using Fireline.Linux;
using Fireline.Linux.Interop;

namespace Fireline.Tests.Linux;

public sealed class SafeFdTests
{
    [Fact]
    public void A_failed_open_is_an_invalid_descriptor_with_its_errno()
    {
        using var fd = Libc.Open("/nonexistent-fireline/file", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);

        Assert.Equal((int)Errno.ENOENT, Marshal.GetLastPInvokeError());
        Assert.True(fd.IsInvalid);
    }
}
