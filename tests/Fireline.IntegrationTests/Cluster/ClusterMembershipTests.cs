using System.Globalization;
using System.Text.Json;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// Joining a cluster: three daemons, each on its own test host, register with a three-member etcd cluster the test
/// starts; every one lists all three alive. A daemon killed with SIGKILL keeps no lease: the others see it gone
/// once its lease expires, and it is listed alive again when it comes back.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class ClusterMembershipTests : IDisposable
{
    private readonly EtcdCluster _etcd = new();
    private readonly List<EngineHost> _hosts = [];
    private readonly List<DaemonProcess> _daemons = [];
    private readonly List<string> _directories = [];

    [Fact]
    public void Three_nodes_join_and_a_killed_node_is_seen_gone_by_the_others_then_alive_again_when_it_returns()
    {
        for (var i = 0; i < 3; i++)
        {
            Start(Node(i), $"192.0.2.{11 + i}");
        }

        foreach (var daemon in _daemons)
        {
            Eventually.True(() => Alive(daemon).SetEquals([Node(0), Node(1), Node(2)]), $"all three nodes alive as seen by {daemon.Socket}");
        }

        var listed = Nodes(_daemons[0]).Single(n => n.GetProperty("name").GetString() == Node(2));
        Assert.Equal("192.0.2.13", listed.GetProperty("underlayAddress").GetString());

        Tool.Run("kill", "-KILL", _daemons[2].ProcessId.ToString(CultureInfo.InvariantCulture));

        foreach (var survivor in _daemons.Take(2))
        {
            Eventually.True(() => Alive(survivor).SetEquals([Node(0), Node(1)]), $"{Node(2)} gone as seen by {survivor.Socket}");
            Assert.Contains(Nodes(survivor), n => n.GetProperty("name").GetString() == Node(2) && !n.GetProperty("alive").GetBoolean());
        }

        _daemons[2].Start();

        Eventually.True(() => Alive(_daemons[0]).Contains(Node(2)), $"{Node(2)} alive again after its restart");
    }

    [Fact]
    public void Cluster_status_through_the_cli_lists_the_nodes_and_a_single_host_daemon_says_it_has_no_cluster()
    {
        var clustered = Start(Node(0), "192.0.2.21");
        var single = new DaemonProcess(Host());
        _daemons.Add(single);

        var status = clustered.Cli("-o", "json", "cluster", "status");
        var table = clustered.Cli("-o", "table", "cluster", "status");
        var none = single.Cli("-o", "json", "cluster", "status");
        var api = single.Send("GET", "/v1/cluster");

        Assert.Equal(0, status.ExitCode);
        var node = Assert.Single(KernelState.Json(status.StandardOutput).GetProperty("nodes").EnumerateArray());
        Assert.Equal(Node(0), node.GetProperty("name").GetString());
        Assert.True(node.GetProperty("alive").GetBoolean());
        Assert.Matches($@"{Node(0)} \(this\)\s+192\.0\.2\.21\s+yes\s+-", table.StandardOutput);
        Assert.Equal(1, none.ExitCode);
        Assert.Equal("cluster-not-configured", KernelState.Json(none.StandardError).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(404, api.Status);
    }

    [Theory]
    [InlineData("--node", "Node_A", "--node")]
    [InlineData("--underlay-address", "127.0.0.1", "--underlay-address")]
    [InlineData("--underlay-address", "10.0.0.1/24", "--underlay-address")]
    [InlineData("--cluster-etcd", "127.0.0.1:2379", "--cluster-etcd")]
    [InlineData("--cluster-etcd", "http://127.0.0.1:2379/v3", "--cluster-etcd")]
    public void A_bad_cluster_flag_is_refused_naming_it_and_nothing_starts(string flag, string value, string field)
    {
        var host = Host();
        var flags = new Dictionary<string, string> { ["--cluster-etcd"] = _etcd.ClientUrls, ["--node"] = "node-a", ["--underlay-address"] = "192.0.2.31", [flag] = value };
        var sock = Path.Combine(Directory(), "fireline.sock");

        var result = Cli.Run([.. host.CliScope, "--socket", sock, "-o", "json", "serve", .. flags.SelectMany(f => new[] { f.Key, f.Value })]);

        Assert.Equal(2, result.ExitCode);
        var error = KernelState.Json(result.StandardError).GetProperty("error");
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains(field, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(sock), "the daemon opened its socket");
    }

    [Fact]
    public void A_half_configured_cluster_section_in_the_config_file_is_refused_naming_the_missing_key()
    {
        var host = Host();
        var directory = Directory();
        var config = Path.Combine(directory, "fireline.yaml");
        File.WriteAllText(config, $"cluster:\n  etcd: {_etcd.ClientUrls}\n  node: node-a\n");

        var result = Cli.Run([.. host.CliScope, "--config", config, "--socket", Path.Combine(directory, "s"), "-o", "json", "serve"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cluster.underlayAddress is missing", KernelState.Json(result.StandardError).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var daemon in _daemons)
        {
            daemon.Dispose();
        }

        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _etcd.Dispose();
        foreach (var directory in _directories)
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    private string Directory()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("fireline-cluster-").FullName;
        _directories.Add(directory);
        return directory;
    }

    private static string Node(int i) => $"node-{i}";

    private EngineHost Host()
    {
        var host = new EngineHost();
        _hosts.Add(host);
        host.Engine.Dispose(); // the daemon takes the state directory
        return host;
    }

    private DaemonProcess Start(string node, string underlay)
    {
        var daemon = new DaemonProcess(Host(), ["--cluster-etcd", _etcd.ClientUrls, "--node", node, "--underlay-address", underlay], launcher: _etcd.Launcher);
        _daemons.Add(daemon);
        return daemon;
    }

    private static List<JsonElement> Nodes(DaemonProcess daemon)
    {
        var answer = daemon.Send("GET", "/v1/cluster");
        Assert.True(answer.Status == 200, answer.Body);
        return [.. answer.Json.GetProperty("nodes").EnumerateArray()];
    }

    private static HashSet<string> Alive(DaemonProcess daemon)
        => [.. Nodes(daemon).Where(n => n.GetProperty("alive").GetBoolean()).Select(n => n.GetProperty("name").GetString()!)];
}
