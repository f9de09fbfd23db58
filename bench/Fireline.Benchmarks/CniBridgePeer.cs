using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// The peer most runtimes start with, as <c>bench/cni.sh</c> runs it: Debian containernetworking-plugins' bridge with
/// host-local IPAM (ipMasq), one process per verb, in a private test host of its own. Each attachment gets a runtime
/// namespace made before its ADD and removed after its DEL (both untimed, as a runtime does them). Null from
/// <see cref="TryOpen"/> when the plugins are not installed (scripts/setup.sh installs them).
/// </summary>
internal sealed class CniBridgePeer : IDisposable
{
    private const string PluginDirectory = "/usr/lib/cni";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TestHost _host = new();
    private readonly string _ipamDirectory = Directory.CreateTempSubdirectory("fireline-bench-ipam-").FullName;

    public static CniBridgePeer? TryOpen() => File.Exists(Path.Combine(PluginDirectory, "bridge")) ? new CniBridgePeer() : null;

    /// <summary>Makes attachment <paramref name="name"/>'s namespace (untimed).</summary>
    public string Prepare(string name)
    {
        var ns = _host.VmId(name);
        Tool.Run("ip", "netns", "add", ns);
        return ns;
    }

    public void Add(string ns) => Run("ADD", ns);

    public void Delete(string ns) => Run("DEL", ns);

    /// <summary>Removes the runtime's namespace after its DEL (untimed).</summary>
    public static void Remove(string ns) => Tool.Run("ip", "netns", "del", ns);

    private void Run(string command, string ns)
    {
        var config = $$$"""
            {"cniVersion":"1.0.0","name":"{{{_host.Prefix}}}-br","type":"bridge","bridge":"br-vms","isGateway":true,"ipMasq":true,
             "ipam":{"type":"host-local","ranges":[[{"subnet":"10.100.0.0/16","gateway":"10.100.0.1"}]],"dataDir":"{{{_ipamDirectory}}}"}}
            """;
        var environment = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = ns,
            ["CNI_NETNS"] = "/var/run/netns/" + ns,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = PluginDirectory,
        };
        var result = Tool.TryRun("nsenter", [$"--net={_host.HostNamespacePath}", "--", Path.Combine(PluginDirectory, "bridge")], Timeout, config, environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"the bridge plugin's {command} failed ({result.ExitCode}): {result.StandardOutput} {result.StandardError}");
        }
    }

    public void Dispose()
    {
        _host.Dispose();
        Directory.Delete(_ipamDirectory, recursive: true);
    }
}
