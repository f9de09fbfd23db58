using Fireline.TestSupport;
using Fireline.TestSupport.Cni;

namespace Fireline.IntegrationTests.Cni;

/// <summary>
/// Every error code the plugin can return, provoked as a runtime (or a broken configuration) would, each answered with
/// the spec's error JSON on stdout, a non-zero exit code, and nothing changed.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class CniErrorTests : IDisposable
{
    private readonly CniHost _host = new();

    private CniRuntime Runtime => _host.Runtime;

    [Fact]
    public void Bad_environment_configuration_and_versions_get_the_specs_codes_and_change_nothing()
    {
        var (ns, path) = _host.NewNamespace();
        var id = _host.ContainerId("err");
        var config = Runtime.Config();

        Assert.Equal(1, Runtime.Run("ADD", Runtime.Config("0.2.0"), id, path, "eth0").Code);
        Assert.Equal(2, Runtime.Run("ADD", Runtime.Config(extra: "\"ipam\":{\"type\":\"host-local\"}"), id, path, "eth0").Code);
        Assert.Equal(4, Runtime.Run(null, config, id, path, "eth0").Code);
        Assert.Equal(4, Runtime.Run("REMOVE", config, id, path, "eth0").Code);
        Assert.Equal(4, Runtime.Run("ADD", config, null, path, "eth0").Code);
        Assert.Equal(4, Runtime.Run("ADD", config, "-bad id", path, "eth0").Code);
        Assert.Equal(4, Runtime.Run("ADD", config, id, null, "eth0").Code);
        Assert.Equal(4, Runtime.Run("ADD", config, id, path, "eth/0").Code);
        Assert.Equal(4, Runtime.Run("ADD", config, id, path, "eth0", "TC_REDIRECT_TAP_UID=root").Code);
        Assert.Equal(4, Runtime.Run("ADD", config, id, "/var/run/netns/" + _host.Env.Host.Prefix + "-missing", "eth0").Code);
        Assert.Equal(5, Runtime.Run("ADD", Runtime.Config(extra: $"\"args\":\"{new string('x', 1100 * 1024)}\""), id, path, "eth0").Code);
        Assert.Equal(6, Runtime.Run("ADD", "{not json", id, path, "eth0").Code);
        Assert.Equal(7, Runtime.Run("ADD", Runtime.Config(extra: "\"tapOwner\":\"root\""), id, path, "eth0").Code);
        Assert.Equal(7, Runtime.Run("ADD", Runtime.Config(extra: "\"network\":\"nosuch\""), id, path, "eth0").Code);
        Assert.Equal(7, Runtime.Run("ADD", Runtime.Config(extra: "\"rateLimits\":{\"rx\":{\"bandwidth\":{\"size\":-1,\"refillTimeMs\":1}}}"), id, path, "eth0").Code);
        Assert.Equal(7, Runtime.Run("GC", config).Code);
        var error = Runtime.Run("ADD", Runtime.Config(extra: "\"ipam\":{}"), id, path, "eth0").Json;
        Assert.Equal("1.1.0", error.GetProperty("cniVersion").GetString());
        Assert.Contains("ipam", error.GetProperty("details").GetString(), StringComparison.Ordinal);

        Assert.Empty(_host.Vms());
        Assert.Equal(["lo"], CniHost.LinkNames(ns));
    }

    [Fact]
    public void Conflicts_are_refused_and_leave_the_runtimes_devices_alone()
    {
        var (ns, path) = _host.NewNamespace();
        var apiVm = _host.ContainerId("api");
        Assert.Equal(200, _host.Daemon.Send("PUT", $"/v1/vms/{apiVm}", "{}").Status);
        Assert.Equal(100, Runtime.Add(apiVm, path).Code);
        Runtime.Delete(apiVm, path).Succeeded();
        Assert.Equal(200, _host.Daemon.Send("GET", $"/v1/vms/{apiVm}").Status);

        Ip.Run("-n", ns, "tuntap", "add", "tap0", "mode", "tap");
        Assert.Equal(100, Runtime.Add(_host.ContainerId("taken"), path).Code);
        Ip.Run("-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
        Assert.Equal(100, Runtime.Add(_host.ContainerId("taken"), path, args: "TC_REDIRECT_TAP_NAME=tap9").Code);

        Assert.Equal([apiVm], _host.Vms().Select(v => v.GetProperty("vmId").GetString()));
        Assert.Equal(["eth0", "lo", "peer0", "tap0"], CniHost.LinkNames(ns).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_netns_that_is_a_fifo_or_a_device_is_refused_without_being_opened()
    {
        var directory = Directory.CreateTempSubdirectory("fireline-cni-");
        try
        {
            var fifo = Path.Combine(directory.FullName, "netns");
            Tool.Run("mkfifo", fifo);
            // Opened for reading, a FIFO would block the daemon until a writer came; a device's open may act.
            Assert.Equal(4, Runtime.Add(_host.ContainerId("fifo"), fifo).Code);
            Assert.Equal(4, Runtime.Add(_host.ContainerId("dev"), "/dev/null").Code);
            Assert.Equal(4, Runtime.Add(_host.ContainerId("dir"), directory.FullName).Code);
            Assert.Empty(_host.Vms());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_unreachable_daemon_is_try_again_later_for_every_verb_and_not_available_for_status()
    {
        var (_, path) = _host.NewNamespace();
        var gone = new CniRuntime(Path.Combine(_host.Daemon.SocketDirectory, "none.sock"));
        var id = _host.ContainerId("nodaemon");

        Assert.Equal(11, gone.Add(id, path).Code);
        Assert.Equal(11, gone.Delete(id, path).Code);
        Assert.Equal(11, gone.Check(id, path, "{}").Code);
        Assert.Equal(11, gone.Run("GC", gone.Config(extra: "\"cni.dev/valid-attachments\":[]")).Code);
        Assert.Equal(50, gone.Run("STATUS", gone.Config()).Code);
    }

    public void Dispose() => _host.Dispose();
}
