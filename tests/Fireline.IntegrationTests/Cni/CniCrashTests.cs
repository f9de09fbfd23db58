using Fireline.Faults;
using Fireline.TestSupport;
using Fireline.TestSupport.Cni;

namespace Fireline.IntegrationTests.Cni;

/// <summary>A daemon killed between a DEL's answer and the removal of the attachment's devices.</summary>
[Trait("Category", Categories.Integration)]
public sealed class CniCrashTests : IDisposable
{
    private readonly CniHost _host = new(new Dictionary<string, string> { [FaultPoints.Variable] = FaultPoints.DeleteDeferred });

    [Fact]
    public void The_next_daemon_removes_what_a_del_cut_off_before_the_crash()
    {
        var (ns, path) = _host.NewNamespace();
        var id = _host.ContainerId("crash");
        _host.Runtime.Add(id, path).Succeeded();

        // The daemon kills itself once the DEL is decided: the answer may or may not have left (0, or 11: try again).
        Assert.Contains(_host.Runtime.Delete(id, path).ExitCode, new[] { 0, 1 });
        Eventually.True(() => !_host.Daemon.TryAnswer(), "the daemon died at the fault point");
        Assert.Contains("tap0", CniHost.LinkNames(ns));

        using var restarted = new DaemonProcess(_host.Env);
        var runtime = new CniRuntime(restarted.Socket);
        Assert.Empty(restarted.Send("GET", "/v1/vms").Json.EnumerateArray());
        Assert.Equal(["lo"], CniHost.LinkNames(ns));
        Assert.Empty(_host.HostVeths());
        runtime.Delete(id, path).Succeeded();
    }

    public void Dispose() => _host.Dispose();
}
