using Fireline.Metrics;
using Fireline.Reconciliation;

namespace Fireline.Tests.Metrics;

public sealed class FirelineMetricsTests
{
    private static readonly HostCapacity Capacity = new([new NetworkCapacity("default", [("br-vms", 3), ("flb0a1b2c-1", 250)], 2, 65531)], 7);

    [Fact]
    public void Operations_count_attempts_failures_by_code_and_reconcile_actions()
    {
        var metrics = new FirelineMetrics();
        metrics.Completed("create", TimeSpan.FromMilliseconds(2), null);
        metrics.Completed("create", TimeSpan.FromMilliseconds(1), "subnet-exhausted");
        metrics.Reconciled(new ReconcileReport([new ReconcileAction("repair", "a", ""), new ReconcileAction("repair", "b", "")]));

        var text = metrics.Render(() => ([], Capacity));

        Assert.Contains("fireline_operation_duration_seconds_count{operation=\"create\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("fireline_operation_failures_total{operation=\"create\",code=\"subnet-exhausted\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("fireline_reconcile_actions_total{action=\"repair\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("fireline_bridge_ports{bridge=\"br-vms\",network=\"default\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("fireline_bridge_ports{bridge=\"flb0a1b2c-1\",network=\"default\"} 250\n", text, StringComparison.Ordinal);
        Assert.Contains("fireline_neighbour_entries 7\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deleted_vm_stops_being_exported_and_a_recreated_tap_restarts_its_counters()
    {
        var metrics = new FirelineMetrics();
        metrics.Render(() => ([Stats("a", 500), Stats("b", 100)], Capacity));

        var text = metrics.Render(() => ([Stats("a", 20)], Capacity with { Networks = [] }));

        Assert.Contains("fireline_vm_rx_bytes_total{vm_id=\"a\",network=\"default\"} 20\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("vm_id=\"b\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("fireline_network_leases_used{", text, StringComparison.Ordinal);
    }

    private static VmStats Stats(string vmId, ulong rxBytes) => new() { VmId = vmId, Network = "default", RxBytes = rxBytes };
}
