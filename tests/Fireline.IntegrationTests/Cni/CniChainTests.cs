using System.Collections.Concurrent;
using Fireline.TestSupport;
using Fireline.TestSupport.Cni;

namespace Fireline.IntegrationTests.Cni;

/// <summary>
/// The plugin among others: chained before Debian's reference plugins (<c>bandwidth</c> reads Fireline's result to
/// find the host veth and shapes it), and run by many runtimes at once.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class CniChainTests : IDisposable
{
    private const string ReferencePlugins = "/usr/lib/cni";

    private readonly CniHost _host = new();

    [Fact]
    public void Bandwidth_chained_after_fireline_shapes_its_host_veth_and_both_delete_cleanly()
    {
        var (ns, path) = _host.NewNamespace();
        var id = _host.ContainerId("chain");
        // The chain runs in the test host (the plugins act in the namespace they are started in), as libcni runs a list:
        // ADD in order with each result as the next plugin's prevResult, DEL in reverse order.
        var fireline = _host.Runtime.Add(id, path, version: "1.0.0").Succeeded().StandardOutput;
        var bandwidth = $$"""{"cniVersion":"1.0.0","name":"{{_host.Runtime.CniNetwork}}","type":"bandwidth","ingressRate":8000000,"ingressBurst":1000000,"egressRate":8000000,"egressBurst":1000000,"prevResult":{{fireline}}}""";

        var chained = RunInHost("ADD", bandwidth, id, path);

        Assert.Equal(0, chained.ExitCode);
        var conf = VmConf.From(chained.Json, id); // what the runtime hands firecracker-go-sdk: the chain's last result
        Assert.Equal("10.100.0.2/16", conf.Address);
        Assert.Contains("tbf", _host.Env.Host.InHost("tc", "qdisc", "show", "dev", "fl0a640002"), StringComparison.Ordinal);

        Assert.Equal(0, RunInHost("DEL", bandwidth, id, path).ExitCode);
        _host.Runtime.Delete(id, path, version: "1.0.0", prevResult: chained.StandardOutput).Succeeded();
        _host.AssertNothingLeft(ns);
        Assert.DoesNotContain("bwp", _host.Env.Host.InHost("ip", "link", "show"), StringComparison.Ordinal);
    }

    [Fact]
    public void Thirty_two_concurrent_adds_get_thirty_two_addresses()
    {
        var namespaces = Enumerable.Range(0, 32).Select(_ => _host.NewNamespace()).ToList();
        var results = new ConcurrentDictionary<int, CniAnswer>();

        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 32 }, i => results[i] = _host.Runtime.Add(_host.ContainerId($"c{i}"), namespaces[i].Path));

        var addresses = results.Select(r => VmConf.From(r.Value.Succeeded().Json, _host.ContainerId($"c{r.Key}")).Address).ToList();
        Assert.Equal(32, addresses.Distinct().Count());
        Assert.Equal(32, _host.HostVeths().Count);
        Parallel.For(0, 32, i => _host.Runtime.Delete(_host.ContainerId($"c{i}"), namespaces[i].Path).Succeeded());
        _host.AssertNothingLeft([.. namespaces.Select(n => n.Name)]);
    }

    /// <summary>A reference plugin run in the test host (nsenter keeps the mount namespace, where the runtime's namespaces are).</summary>
    private CniAnswer RunInHost(string command, string config, string containerId, string netns)
    {
        var environment = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command, ["CNI_CONTAINERID"] = containerId, ["CNI_NETNS"] = netns, ["CNI_IFNAME"] = "eth0", ["CNI_PATH"] = ReferencePlugins,
        };
        var result = Tool.TryRun("nsenter", [$"--net={_host.Env.Host.HostNamespacePath}", "--", Path.Combine(ReferencePlugins, "bandwidth")],
            TimeSpan.FromSeconds(60), config, environment);
        return new CniAnswer(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public void Dispose() => _host.Dispose();
}
