using Fireline.Addressing;
using Fireline.Doctor;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Tests.Doctor;

/// <summary>The doctor's advice names the kernel argument the VM's record gives, IPv6 part included.</summary>
public sealed class GuestNetworkHintTests
{
    private static readonly NetworkSpec DualStack = new()
    {
        Name = "default", Subnet = Ipv4Network.Parse("10.101.0.0/16"), Bridge = "br-vms", Ipv6 = Ipv6Prefix.Parse("fd00:101::/64"), Dns = ["9.9.9.9"],
    };

    [Theory]
    [InlineData(true, "ip=10.101.0.2::10.101.0.1:255.255.0.0::eth0:off:9.9.9.9 fireline.ipv6=fd00:101::a65:2/64,fd00:101::1")]
    [InlineData(false, "ip=10.101.0.2::10.101.0.1:255.255.0.0::eth0:off:9.9.9.9")]
    public void Names_the_records_boot_argument(bool ipv6, string bootArgs)
    {
        var vm = new VmState(VmId.Parse("web-1"), "default", Ipv4Network.Parse("10.101.0.0/16").FirstVmAddress, new VmOptions { Ipv6 = ipv6 }, VmLifecycle.Ready);

        var hint = Checkup.GuestNetworkHint(vm, DualStack);

        Assert.Equal(bootArgs, VmRecords.From(vm, DualStack, "/run/netns").BootArgs);
        Assert.Contains($"kernel argument {bootArgs}, MAC 06:00:0a:65:00:02 ", hint, StringComparison.Ordinal);
    }
}
