using Fireline.Sriov;
using Fireline.TestSupport;

namespace Fireline.Tests.Sriov;

public sealed class SriovSysfsTests : IDisposable
{
    private readonly SysfsTree _tree = new();

    [Fact]
    public void Finds_physical_functions_and_the_real_netdev_names_of_their_vfs()
    {
        _tree.Pf("ens1f0", 8, "ens1f0v0", "eth7", null).Plain("eth0").Pf("ens2f0", 4);

        var found = SriovSysfs.Discover(_tree.Root);

        Assert.Equal(["ens1f0", "ens2f0"], found.Select(f => f.Name));
        var first = found[0];
        Assert.Equal((8, 3), (first.TotalVfs, first.EnabledVfs));
        // Names come from virtfnN/net/, never from the PF's name; a VF without a netdev (moved away) is not offered.
        Assert.Equal([new VirtualFunction("ens1f0", 0, "ens1f0v0"), new VirtualFunction("ens1f0", 1, "eth7")], first.VirtualFunctions);
        Assert.Empty(found[1].VirtualFunctions);
    }

    [Fact]
    public void A_missing_root_has_no_functions() => Assert.Empty(SriovSysfs.Discover(Path.Combine(_tree.Root, "nothing")));

    public void Dispose() => _tree.Dispose();
}
