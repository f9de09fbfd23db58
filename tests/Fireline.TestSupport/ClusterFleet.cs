using System.Globalization;
using System.Text.Json;
using Fireline.Vms;

namespace Fireline.TestSupport;

/// <summary>
/// A fleet for data-path tests: a three-member etcd (<see cref="EtcdCluster"/>), an underlay (a bridge <c>ul0</c> in a
/// namespace of its own, 192.0.2.0/24, 1500-byte MTU) and three test hosts, each with its own daemon joined as
/// <c>node-N</c> with <c>underlay0</c> = 192.0.2.(10+N) on that bridge. Dispose stops the daemons and removes every
/// host, the underlay and etcd, whatever the test did.
/// </summary>
public sealed class ClusterFleet : IDisposable
{
    public const string UnderlayLink = "underlay0";
    public const string UnderlayBridge = "ul0";

    private readonly List<EngineHost> _hosts = [];
    private readonly List<DaemonProcess> _daemons = [];
    private readonly List<IDisposable> _owned = [];
    private readonly IReadOnlyDictionary<string, string>? _environment;

    /// <param name="environment">Extra environment for every daemon (e.g. a shortened block reclaim delay).</param>
    public ClusterFleet(int nodes = 3, IReadOnlyDictionary<string, string>? environment = null)
    {
        _environment = environment;
        try
        {
            Etcd = new EtcdCluster();
            Underlay = Etcd.Name + "-ul";
            Ip.Run("netns", "add", Underlay);
            Ip.Run("-n", Underlay, "link", "add", UnderlayBridge, "type", "bridge");
            Ip.Run("-n", Underlay, "link", "set", UnderlayBridge, "up");
            for (var i = 0; i < nodes; i++)
            {
                Join(i);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EtcdCluster Etcd { get; } = null!;

    /// <summary>The underlay's namespace: the bridge, and a port <c>uN</c> towards each node.</summary>
    public string Underlay { get; } = null!;

    public IReadOnlyList<EngineHost> Hosts => _hosts;

    public IReadOnlyList<DaemonProcess> Daemons => _daemons;

    public static string Node(int i) => $"node-{i}";

    public static string UnderlayAddress(int i) => $"192.0.2.{10 + i}";

    /// <summary>A network, defined once (on node-0) for the whole cluster; returns once every node shows it as node-0 does.</summary>
    public void Define(string name, string json)
    {
        var answer = _daemons[0].Send("PUT", $"/v1/networks/{name}", json);
        Assert.True(answer.Status is 200 or 201, answer.Body);
        var defined = Network(0, name);
        Eventually.True(() => Enumerable.Range(0, _daemons.Count).All(i => Network(i, name) == defined), $"every node shows network {name} as node-0 defined it; node-{_daemons.Count - 1}'s log:\n{_daemons[^1].Log}");
    }

    /// <summary>
    /// The network as the node shows it (<c>GET /v1/networks/NAME</c>) without what differs from node to node (its
    /// VMs, its warm pool); null when the node does not have it.
    /// </summary>
    public string? Network(int node, string name)
    {
        var answer = _daemons[node].Send("GET", $"/v1/networks/{name}");
        if (answer.Status == 404)
        {
            return null;
        }

        Assert.True(answer.Status == 200, answer.Body);
        var network = System.Text.Json.Nodes.JsonNode.Parse(answer.Body)!.AsObject();
        network.Remove("vms");
        network.Remove("pool");
        return network.ToJsonString();
    }

    /// <param name="ipv6">Dual stack: the VM gets an address of the network's IPv6 prefix too.</param>
    public VmRecord Create(int node, string name, string network, bool ipv6 = false)
    {
        var answer = _daemons[node].Send("PUT", $"/v1/vms/{_hosts[node].Host.VmId(name)}", ipv6 ? $$"""{"network":"{{network}}","ipv6":true}""" : $$"""{"network":"{{network}}"}""");
        Assert.True(answer.Status == 200, answer.Body);
        return JsonSerializer.Deserialize<VmRecord>(answer.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>The VMs node <paramref name="node"/> lists.</summary>
    public List<VmRecord> Vms(int node)
        => JsonSerializer.Deserialize<List<VmRecord>>(_daemons[node].Send("GET", "/v1/vms").Body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>Node <paramref name="name"/> as node <paramref name="from"/> lists it in <c>GET /v1/cluster</c>.</summary>
    public JsonElement Status(int from, string name) => NodeIn(_daemons[from].Send("GET", "/v1/cluster").Json, name);

    /// <summary>Whether node <paramref name="from"/> lists <paramref name="name"/> alive; not while it cannot read etcd (503).</summary>
    public bool Alive(int from, string name)
    {
        var answer = _daemons[from].Send("GET", "/v1/cluster");
        return answer.Status == 200 && NodeIn(answer.Json, name).GetProperty("alive").GetBoolean();
    }

    private static JsonElement NodeIn(JsonElement status, string name)
        => status.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name);

    /// <summary>The blocks node <paramref name="name"/> holds (<c>network:a.b.c.d/len</c>), as node <paramref name="from"/> lists them.</summary>
    public List<string> Blocks(int from, string name) => [.. Status(from, name).GetProperty("blocks").EnumerateArray().Select(b => b.GetString()!)];

    /// <summary>A guest stand-in on the VM's TAP, removed with the fleet.</summary>
    public GuestStandIn Guest(int node, VmRecord vm) => Own(new GuestStandIn(_hosts[node].Host, vm));

    public T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>The node's FDB entries on its VXLAN devices (<c>bridge fdb show</c> lines naming a <c>vx-</c> device).</summary>
    public string Fdb(int node)
        => string.Join('\n', Tool.Run("ip", "netns", "exec", _hosts[node].Host.HostNamespaceName, "bridge", "fdb", "show").Split('\n')
            .Where(l => l.Contains(" dev vx-", StringComparison.Ordinal)));

    /// <summary>Whether the node sends frames for <paramref name="mac"/> through its VXLAN device to node <paramref name="remote"/>.</summary>
    public bool Tunnels(int node, string mac, int remote)
        => Fdb(node).Split('\n').Any(l => l.StartsWith(mac + " dev vx-", StringComparison.Ordinal) && l.Contains($" dst {UnderlayAddress(remote)} self", StringComparison.Ordinal));

    /// <summary>The name of the node's VXLAN device (<c>vx-VNI</c>), null while it has none.</summary>
    public string? VxlanDevice(int node)
        => Ip.Links(_hosts[node].Host.HostNamespaceName).Select(l => l.GetProperty("ifname").GetString()!).FirstOrDefault(n => n.StartsWith("vx-", StringComparison.Ordinal));

    /// <summary>The node's permanent neighbour entries (what it programmed for remote VMs).</summary>
    public string PermanentNeighbours(int node)
        => string.Join('\n', Ip.Run("-n", _hosts[node].Host.HostNamespaceName, "neigh", "show", "nud", "permanent").Split('\n'));

    /// <summary>Kills node <paramref name="node"/>'s daemon with SIGKILL (its VMs stay); <c>Daemons[node].Start()</c> brings it back.</summary>
    public void Kill(int node) => Tool.Run("kill", "-KILL", _daemons[node].ProcessId.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Stops node <paramref name="node"/>'s daemon and starts a new one on the same host and state, with
    /// <paramref name="environment"/> (e.g. a fault point armed) instead of the fleet's.
    /// </summary>
    public DaemonProcess Restart(int node, IReadOnlyDictionary<string, string>? environment = null)
    {
        _daemons[node].Dispose();
        _daemons[node] = NewDaemon(node, environment ?? _environment);
        return _daemons[node];
    }

    /// <summary>
    /// Cuts node <paramref name="node"/> off: its underlay link goes down, and the etcd namespace drops every packet
    /// its daemon's sockets send (each daemon runs under a group id of its own, <see cref="GroupId"/>, which nftables
    /// matches as <c>meta skgid</c>: the daemons share the etcd namespace's loopback). The node's VMs keep running.
    /// </summary>
    public void Partition(int node)
    {
        Ip.Run("-n", _hosts[node].Host.HostNamespaceName, "link", "set", UnderlayLink, "down");
        var cut = Tool.TryRun("ip", ["netns", "exec", Etcd.Name, "nft", "-f", "-"], TimeSpan.FromSeconds(30), $$"""
            table inet {{PartitionTable(node)}} {
                chain output { type filter hook output priority 0; meta skgid {{GroupId(node)}} drop; }
            }
            """);
        Assert.True(cut.ExitCode == 0, cut.StandardError);
    }

    /// <summary>Undoes <see cref="Partition"/>.</summary>
    public void Heal(int node)
    {
        Tool.Run("ip", "netns", "exec", Etcd.Name, "nft", "delete", "table", "inet", PartitionTable(node));
        Ip.Run("-n", _hosts[node].Host.HostNamespaceName, "link", "set", UnderlayLink, "up");
    }

    /// <summary>The group id node <paramref name="node"/>'s daemon runs under (its user stays root).</summary>
    public static int GroupId(int node) => 64_000 + node;

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        foreach (var daemon in _daemons)
        {
            daemon.Dispose();
        }

        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        if (Underlay is not null)
        {
            _ = Tool.TryRun("ip", "netns", "del", Underlay);
        }

        Etcd?.Dispose();
    }

    private void Join(int i)
    {
        var host = new EngineHost();
        _hosts.Add(host);
        host.Engine.Dispose(); // the daemon takes the state directory
        var port = string.Create(CultureInfo.InvariantCulture, $"u{i}");
        Ip.Run("-n", host.Host.HostNamespaceName, "link", "add", UnderlayLink, "type", "veth", "peer", "name", port, "netns", Underlay);
        Ip.Run("-n", host.Host.HostNamespaceName, "addr", "add", UnderlayAddress(i) + "/24", "dev", UnderlayLink);
        Ip.Run("-n", host.Host.HostNamespaceName, "link", "set", UnderlayLink, "up");
        Ip.Run("-n", Underlay, "link", "set", port, "master", UnderlayBridge, "up");
        var daemon = NewDaemon(i, _environment);
        _daemons.Add(daemon);
        Assert.Equal(200, daemon.Send("PUT", "/v1/host", "{}").Status);
    }

    private DaemonProcess NewDaemon(int i, IReadOnlyDictionary<string, string>? environment)
        => new(_hosts[i], ["--cluster-etcd", Etcd.ClientUrls, "--node", Node(i), "--underlay-address", UnderlayAddress(i)], environment,
            launcher: [.. Etcd.Launcher, "setpriv", $"--regid={GroupId(i)}", "--clear-groups", "--"]);

    private static string PartitionTable(int node) => $"partition{node}";
}
