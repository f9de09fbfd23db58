using Fireline.Linux.Namespaces;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

[Trait("Category", Categories.Integration)]
public sealed class NetworkNamespaceTests : IDisposable
{
    private readonly TestHost _host = new();

    [Fact]
    public void The_work_inside_a_new_namespace_runs_before_it_is_mounted_under_its_name()
    {
        var name = "vm-" + _host.VmId("early");
        bool? mountedDuringWork = null;

        using var ns = NetworkNamespace.Create(name, () => mountedDuringWork = IsMounted(name));

        Assert.False(mountedDuringWork);
        Assert.True(IsMounted(name));
    }

    [Fact]
    public void Work_that_fails_inside_a_new_namespace_leaves_nothing_under_its_name()
    {
        var name = "vm-" + _host.VmId("failed");

        Assert.Throws<InvalidOperationException>(() => NetworkNamespace.Create(name, () => throw new InvalidOperationException("refused")));

        Assert.False(Ip.NamespaceExists(name));
        Assert.False(IsMounted(name));
    }

    [Fact]
    public void Delete_unmounted_removes_an_empty_mount_point_and_never_a_mounted_namespace()
    {
        var empty = "vm-" + _host.VmId("empty");
        var mounted = "vm-" + _host.VmId("mounted");
        File.WriteAllBytes(Path.Combine(NetworkNamespace.DefaultRunDirectory, empty), []);
        Ip.Run("netns", "add", mounted);

        Assert.True(NetworkNamespace.DeleteUnmounted(empty));
        Assert.False(NetworkNamespace.DeleteUnmounted(mounted));
        Assert.False(NetworkNamespace.DeleteUnmounted(empty));

        Assert.False(Ip.NamespaceExists(empty));
        Assert.True(IsMounted(mounted));
    }

    public void Dispose() => _host.Dispose();

    /// <summary>Whether a namespace is mounted on /var/run/netns/NAME, as the mount table says (not just a file there).</summary>
    private static bool IsMounted(string name)
        => File.ReadAllLines("/proc/self/mountinfo").Any(line => line.Split(' ')[4] == "/run/netns/" + name || line.Split(' ')[4] == "/var/run/netns/" + name);
}
