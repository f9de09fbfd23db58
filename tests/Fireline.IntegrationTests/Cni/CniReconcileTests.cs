using Fireline.TestSupport;
using Fireline.TestSupport.Cni;

namespace Fireline.IntegrationTests.Cni;

/// <summary>
/// Reconcile and doctor on attachments: the namespace is the runtime's, so nothing creates or removes it; a TAP
/// removed by hand comes back, and a namespace the runtime removed (or replaced) means the attachment is gone.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class CniReconcileTests : IDisposable
{
    private readonly CniHost _host = new();

    [Fact]
    public void Doctor_checks_an_attachment_where_its_devices_are()
    {
        var (_, path) = _host.NewNamespace();
        var id = _host.ContainerId("doc");
        _host.Runtime.Add(id, path).Succeeded();

        var checks = _host.Daemon.Send("GET", $"/v1/doctor?vm={id}").Json.GetProperty("checks").EnumerateArray()
            .Where(c => c.GetProperty("scope").GetString() == $"vm {id}").ToDictionary(c => c.GetProperty("check").GetString()!, c => c.GetProperty("status").GetString());

        Assert.Equal("pass", checks["namespace"]);
        Assert.Equal("pass", checks["tap"]);
        Assert.Equal("pass", checks["veth-joined"]);
        Assert.Equal("pass", checks["host-veth"]);
        Assert.Equal("pass", checks["firewall-elements"]);
    }

    [Fact]
    public void Reconcile_restores_a_tap_removed_by_hand_and_never_touches_the_namespace()
    {
        var (ns, path) = _host.NewNamespace();
        var id = _host.ContainerId("fix");
        var result = _host.Runtime.Add(id, path).Succeeded().StandardOutput;
        Ip.Run("-n", ns, "link", "del", "tap0");

        var report = _host.Daemon.Send("POST", "/v1/reconcile").Body;

        Assert.Contains("recreated tap0", report, StringComparison.Ordinal);
        Assert.Equal("", _host.Runtime.Check(id, path, result).Succeeded().StandardOutput);
        Assert.True(Ip.NamespaceExists(ns));
    }

    [Fact]
    public void Reconcile_drops_attachments_whose_namespace_the_runtime_removed_or_replaced()
    {
        var removed = _host.NewNamespace();
        var replaced = _host.NewNamespace();
        _host.Runtime.Add(_host.ContainerId("removed"), removed.Path).Succeeded();
        _host.Runtime.Add(_host.ContainerId("replaced"), replaced.Path).Succeeded();
        Ip.Run("netns", "del", removed.Name);
        Ip.Run("netns", "del", replaced.Name);
        Ip.Run("netns", "add", replaced.Name); // a new namespace under the old path: not the attachment's

        var report = _host.Daemon.Send("POST", "/v1/reconcile").Json.GetProperty("actions").EnumerateArray()
            .Select(a => (a.GetProperty("action").GetString(), a.GetProperty("subject").GetString())).ToList();

        Assert.Contains(("drop-vanished", _host.ContainerId("removed")), report);
        Assert.Contains(("drop-vanished", _host.ContainerId("replaced")), report);
        Assert.Empty(_host.Vms());
        Eventually.True(() => _host.HostVeths().Count == 0, "the host veths went with the namespaces or were removed");
        Assert.Equal(["lo"], CniHost.LinkNames(replaced.Name));
    }

    public void Dispose() => _host.Dispose();
}
