using System.Text.Json;
using Fireline.Host;

namespace Fireline.TestSupport.Cni;

/// <summary>
/// A test host initialised (default network 10.100.0.0/16, dual stack fd00:64::/64) with the daemon serving it, and a
/// runtime that makes its own namespaces (<c>ip netns add</c>, as firecracker-go-sdk does) and runs the plugin.
/// Everything goes with the test host.
/// </summary>
public sealed class CniHost : IDisposable
{
    private int _namespaces;

    /// <param name="daemonEnvironment">The daemon's environment (a fault point to crash it at).</param>
    public CniHost(IReadOnlyDictionary<string, string>? daemonEnvironment = null)
    {
        Env = new EngineHost();
        try
        {
            Env.Engine.InitHost(new HostInitRequest { Ipv6Prefix = "fd00:64::/64" });
            Env.Engine.Dispose();
            Daemon = new DaemonProcess(Env, environment: daemonEnvironment);
            Runtime = new CniRuntime(Daemon.Socket);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EngineHost Env { get; }

    public DaemonProcess Daemon { get; } = null!;

    public CniRuntime Runtime { get; } = null!;

    public string HostNs => Env.Host.HostNamespaceName;

    /// <summary>A runtime-made namespace (what <c>CNI_NETNS</c> names): its name and path.</summary>
    public (string Name, string Path) NewNamespace()
    {
        var name = $"{Env.Host.Prefix}-rt{Interlocked.Increment(ref _namespaces)}";
        Ip.Run("netns", "add", name);
        return (name, "/var/run/netns/" + name);
    }

    /// <summary>A container id of this test host.</summary>
    public string ContainerId(string name) => Env.Host.VmId(name);

    /// <summary>The names of the links in a namespace.</summary>
    public static IReadOnlyList<string> LinkNames(string ns) => [.. Ip.Links(ns).Select(l => l.GetProperty("ifname").GetString()!)];

    /// <summary>The host's VM veths (fl + address), wherever they are attached.</summary>
    public IReadOnlyList<string> HostVeths() => [.. LinkNames(HostNs).Where(n => n.StartsWith("fl", StringComparison.Ordinal))];

    /// <summary>The daemon's VM records.</summary>
    public IReadOnlyList<JsonElement> Vms() => [.. Daemon.Send("GET", "/v1/vms").Json.EnumerateArray().Select(v => v.Clone())];

    /// <summary>
    /// Waits until nothing of the attachments is left: the runtime's namespace holds only <c>lo</c>, the host no VM veth,
    /// the daemon no record (a DEL answers once the VM is cut off; its devices go right after).
    /// </summary>
    public void AssertNothingLeft(params string[] runtimeNamespaces)
    {
        Eventually.True(() => Vms().Count == 0 && HostVeths().Count == 0 && runtimeNamespaces.All(ns => LinkNames(ns) is ["lo"]),
            "the attachments' records, host veths and namespace devices are all gone");
        Assert.All(runtimeNamespaces, ns => Assert.True(Ip.NamespaceExists(ns), $"the runtime's namespace {ns} stays: it is not Fireline's"));
    }

    public void Dispose()
    {
        Daemon?.Dispose();
        Env.Dispose();
    }
}
