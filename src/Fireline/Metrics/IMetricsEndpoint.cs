namespace Fireline.Metrics;

/// <summary>What the daemon serves at <c>GET /metrics</c>.</summary>
public interface IMetricsEndpoint
{
    /// <summary>
    /// Every metric in the Prometheus text exposition format (version 0.0.4), collected now: per-VM counters
    /// and capacity are read from the kernel on each call, operation metrics are what was recorded so far.
    /// </summary>
    string RenderPrometheusText();
}
