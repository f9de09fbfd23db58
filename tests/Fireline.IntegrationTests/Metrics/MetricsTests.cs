using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fireline.Errors;
using Fireline.Host;
using Fireline.Metrics;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Metrics;

[Trait("Category", Categories.Integration)]
public sealed partial class MetricsTests : IDisposable
{
    private readonly EngineHost _env = new(options => options with { Metrics = new FirelineMetrics() });

    public MetricsTests() => _env.Engine.InitHost(new HostInitRequest());

    [Fact]
    public void A_scrape_has_operations_per_vm_counters_and_capacity_as_the_kernel_counts_them()
    {
        var kept = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("m1") });
        var gone = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("m2") });
        _env.Engine.DeleteVm(gone.VmId);
        Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("m3"), Network = "nowhere" }));
        Ip.Run("-n", kept.Namespace, "link", "del", "tap0");
        _env.Engine.Reconcile();

        // Entries come and go on their own (IPv6 multicast on new links): the scrape's count lies between two of iproute2's.
        var neighboursBefore = Neighbours();
        var metrics = Parse(_env.Engine.RenderPrometheusText());
        var neighboursAfter = Neighbours();

        Assert.Equal(3, metrics["fireline_operation_duration_seconds_count{operation=\"create\"}"]);
        Assert.Equal(1, metrics["fireline_operation_duration_seconds_count{operation=\"delete\"}"]);
        Assert.Equal(1, metrics["fireline_operation_failures_total{operation=\"create\",code=\"network-not-found\"}"]);
        Assert.Equal(1, metrics["fireline_reconcile_actions_total{action=\"repair\"}"]);
        Assert.True(metrics.ContainsKey($"fireline_vm_rx_bytes_total{{vm_id=\"{kept.VmId}\",network=\"default\"}}"));
        Assert.DoesNotContain(metrics.Keys, k => k.Contains(gone.VmId, StringComparison.Ordinal));
        Assert.Equal(1, metrics["fireline_network_leases_used{network=\"default\"}"]);
        Assert.Equal(65533 - 1, metrics["fireline_network_leases_free{network=\"default\"}"]);
        var ports = Ip.Json("-n", _env.Host.HostNamespaceName, "-j", "link", "show", "master", "br-vms").Count;
        Assert.Equal(ports, metrics["fireline_bridge_ports{bridge=\"br-vms\",network=\"default\"}"]);
        Assert.Equal(1024, metrics["fireline_bridge_port_limit"]);
        Assert.InRange(metrics["fireline_neighbour_entries"], Math.Min(neighboursBefore, neighboursAfter), Math.Max(neighboursBefore, neighboursAfter));
    }

    private int Neighbours() => Ip.Json("-n", _env.Host.HostNamespaceName, "-j", "neigh", "show", "nud", "all").Count;

    [Fact]
    public void The_grafana_dashboard_is_built_on_exactly_the_exported_metric_names()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("g1") });
        Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = "-bad" }));
        Ip.Run("-n", vm.Namespace, "link", "del", "tap0");
        _env.Engine.Reconcile();
        var exported = Parse(_env.Engine.RenderPrometheusText()).Keys.Select(k => Family(k.Split('{')[0])).ToHashSet(StringComparer.Ordinal);

        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root(), "deploy", "grafana-dashboard.json")));
        var used = MetricName().Matches(dashboard.RootElement.ToString()).Select(m => Family(m.Value)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(exported.Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
    }

    /// <summary>A histogram's series (_bucket, _sum, _count) belong to its family.</summary>
    private static string Family(string name)
        => name.StartsWith("fireline_operation_duration_seconds", StringComparison.Ordinal) ? "fireline_operation_duration_seconds" : name;

    /// <summary>Sample lines as "name{labels}" -> value.</summary>
    private static Dictionary<string, double> Parse(string text)
        => text.Split('\n').Where(l => l.StartsWith("fireline_", StringComparison.Ordinal))
            .Select(l => (Key: l[..l.LastIndexOf(' ')], Value: double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);

    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "Fireline.slnx")))
        {
            directory = directory.Parent;
        }

        return directory.FullName;
    }

    [GeneratedRegex(@"fireline_[a-z_]+")]
    private static partial Regex MetricName();

    public void Dispose() => _env.Dispose();
}
