using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Daemon;

/// <summary>The operations routes of the daemon: stats, doctor, tuning and metrics, and the scrape listener.</summary>
[Trait("Category", Categories.Integration)]
public sealed class DaemonOperationsTests : IDisposable
{
    private const int MetricsPort = 19_100;
    private readonly EngineHost _env = new();
    private readonly DaemonProcess _daemon;

    public DaemonOperationsTests()
    {
        _env.Engine.Dispose();
        // The scrape listener inside the test host (the daemon runs there): reachable from the outside namespace.
        _daemon = new DaemonProcess(_env, ["--metrics-listen", $"{TestHost.HostUplinkAddress}:{MetricsPort}"]);
    }

    [Fact]
    public void Stats_doctor_and_metrics_answer_for_a_running_vm_and_the_cli_prints_them_through_the_socket()
    {
        Assert.Equal(200, _daemon.Send("PUT", "/v1/host", "{}").Status);
        var id = _env.Host.VmId("ops");
        Assert.Equal(200, _daemon.Send("PUT", $"/v1/vms/{id}").Status);

        var stats = _daemon.Send("GET", $"/v1/vms/{id}/stats");
        Assert.Equal(200, stats.Status);
        Assert.Equal(id, stats.Json.GetProperty("vmId").GetString());
        Assert.Equal(1, _daemon.Send("GET", "/v1/stats").Json.GetArrayLength());

        var doctor = _daemon.Send("GET", $"/v1/doctor?vm={id}");
        Assert.Equal(200, doctor.Status);
        Assert.Equal(0, _daemon.Cli("doctor", id).ExitCode);
        Assert.Equal(0, _daemon.Cli("-o", "json", "stats", id).ExitCode);

        var metrics = _daemon.Send("GET", "/metrics");
        Assert.Equal(200, metrics.Status);
        Assert.StartsWith("text/plain", metrics.ContentType, StringComparison.Ordinal);
        Assert.Contains($"fireline_vm_rx_bytes_total{{vm_id=\"{id}\"", metrics.Body.Replace("network=\"default\",", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var tune = _daemon.Send("POST", "/v1/host/tune", "{}");
        Assert.Equal(200, tune.Status);
    }

    [Fact]
    public void The_scrape_listener_serves_metrics_without_a_token_and_nothing_else()
    {
        Assert.Equal(200, _daemon.Send("PUT", "/v1/host", "{}").Status);
        var url = $"http://{TestHost.HostUplinkAddress}:{MetricsPort}";

        var scrape = Probes.Http(_env.Host.OutsideNamespaceName, $"{url}/metrics");
        Assert.Equal("200", scrape.Status);
        Assert.Contains("fireline_bridge_port_limit", scrape.Body, StringComparison.Ordinal);
        Assert.Equal("404", Probes.Http(_env.Host.OutsideNamespaceName, $"{url}/v1/vms").Status);
        Assert.Equal("404", Probes.Http(_env.Host.OutsideNamespaceName, $"{url}/v1/host", "-X", "PUT", "-d", "{}").Status);
    }

    public void Dispose()
    {
        _daemon.Dispose();
        _env.Dispose();
    }
}
