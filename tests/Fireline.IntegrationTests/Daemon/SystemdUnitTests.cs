using System.Globalization;
using Fireline.Host;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Daemon;

/// <summary>
/// The daemon started the way <c>deploy/fireline.service</c> starts it (systemd does not run here): the unit's
/// capability bounding set, NoNewPrivileges=, its device policy (a devices cgroup), and a systemd-style private
/// mount namespace should the unit ever ask for one. So started, it serves every operation, and what it creates is
/// usable from the host: the VM's namespace is mounted where the jailer looks, and a jailed VMM opens the TAP.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class SystemdUnitTests : IDisposable
{
    private readonly EngineHost _env = new();
    private readonly SystemdUnit _unit = SystemdUnit.Load(Path.Combine(Repository.Root, "deploy", "fireline.service"));

    public SystemdUnitTests() => _env.Engine.Dispose();

    [Fact]
    public void The_unit_asks_for_the_sandbox_the_daemon_is_tested_in()
    {
        Assert.True(_unit.IsOn("NoNewPrivileges"));
        Assert.Equal(["net_admin", "sys_admin", "net_raw", "chown"], _unit.BoundingSet);
        Assert.Equal(["AF_UNIX", "AF_NETLINK", "AF_INET", "AF_INET6"], _unit.Values("RestrictAddressFamilies"));
        Assert.Equal(["closed"], _unit.Values("DevicePolicy"));
        Assert.Equal(["/dev/net/tun", "rw"], _unit.Values("DeviceAllow"));
        Assert.Equal(["0700"], _unit.Values("StateDirectoryMode"));
        // A private mount namespace would keep the VM namespaces' mounts from the host: see the unit's comment.
        Assert.All(SystemdUnit.MountNamespaceSettings, setting => Assert.Empty(_unit.Values(setting)));
    }

    [Fact]
    public void Started_as_the_unit_starts_it_the_daemon_serves_and_the_host_and_a_jailed_vmm_can_use_what_it_makes()
    {
        using var devices = DeviceCgroup.Create($"{_env.Host.Prefix}-unit", _unit.Values("DeviceAllow").Where(v => v.StartsWith('/')));
        using var daemon = new DaemonProcess(_env, ["--socket-group", "4242"], launcher: _unit.Launcher(devices));
        var status = File.ReadAllLines($"/proc/{daemon.ProcessId}/status").Select(l => l.Split(':', 2)).ToDictionary(f => f[0], f => f[1].Trim());
        Assert.Equal("1", status["NoNewPrivs"]);
        Assert.Equal(Mask(_unit.BoundingSet), status["CapBnd"]);
        Assert.Equal(Mask(_unit.BoundingSet), status["CapEff"]);
        Assert.Equal(devices.Path, $"{devices.Root}{File.ReadAllLines($"/proc/{daemon.ProcessId}/cgroup").Single(l => l.Contains(":devices:", StringComparison.Ordinal)).Split(':')[2]}");

        var id = _env.Host.VmId("unit");
        Assert.Equal(200, daemon.Send("PUT", "/v1/host", "{}").Status);
        var created = daemon.Send("PUT", $"/v1/vms/{id}", """{"tapOwner":1234,"tapGroup":5678}""");
        Assert.True(created.Status == 200, created.Body);
        Assert.Equal(200, daemon.Send("POST", $"/v1/vms/{id}/forwards", """{"hostPort":8080,"vmPort":80}""").Status);
        Assert.Equal(200, daemon.Send("GET", $"/v1/vms/{id}/stats").Status);
        Assert.True(daemon.Send("GET", "/v1/doctor").Json.GetProperty("healthy").GetBoolean());
        Assert.Equal(200, daemon.Send("POST", "/v1/reconcile").Status);
        Assert.Equal(200, daemon.Send("POST", "/v1/host/tune", """{"apply":true}""").Status);

        // What the jailer gets with --netns: the namespace mounted in the host's view, not an empty file.
        var netns = $"/var/run/netns/vm-{id}";
        Assert.Equal("nsfs", Tool.Run("stat", "-f", "-c", "%T", netns).Trim());
        Assert.Equal("attached", JailedVmm.Attach($"vm-{id}", "tap0", 1234, 5678).StandardOutput.Trim());
        Assert.Equal("4242", Tool.Run("stat", "-c", "%g", daemon.Socket).Trim());

        Assert.Equal(200, daemon.Send("DELETE", $"/v1/vms/{id}").Status);
        Assert.False(File.Exists(netns));
        Assert.Equal(0, daemon.Stop());
    }

    /// <summary>A capability set as /proc/PID/status prints it: 16 hex digits.</summary>
    private static string Mask(IEnumerable<string> capabilities)
    {
        var numbers = new Dictionary<string, int> { ["chown"] = 0, ["net_bind_service"] = 10, ["net_admin"] = 12, ["net_raw"] = 13, ["sys_admin"] = 21 };
        return capabilities.Aggregate(0UL, (mask, c) => mask | (1UL << numbers[c])).ToString("x16", CultureInfo.InvariantCulture);
    }

    public void Dispose() => _env.Dispose();
}
