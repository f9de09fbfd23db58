using System.Diagnostics;
using System.Text;
using Fireline.Reconciliation;
using Prometheus;

namespace Fireline.Metrics;

/// <summary>
/// Fireline's Prometheus metrics (prometheus-net, in a registry of its own: no process or runtime collectors
/// unless the daemon adds them). Operation metrics are recorded as the engine works (<see cref="IOperationObserver"/>);
/// per-VM counters and capacity gauges are set from a fresh reading on each scrape, and the series of VMs
/// and networks that are gone are dropped then, so a deleted VM stops being exported.
/// </summary>
public sealed class FirelineMetrics : IOperationObserver
{
    private static readonly string[] VmLabels = ["vm_id", "network"];
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Lock _scrape = new();
    private readonly Histogram _duration;
    private readonly Counter _failures;
    private readonly Counter _reconcileActions;
    private readonly (Counter Counter, Func<VmStats, ulong> Value)[] _vm;
    private readonly Gauge _leasesUsed;
    private readonly Gauge _leasesFree;
    private readonly Gauge _bridgePorts;
    private readonly Gauge _poolReady;
    private readonly Gauge _neighbours;
    private readonly Gauge _scrapeSeconds;
    private HashSet<(string, string)> _vmSeries = [];
    private HashSet<string> _networkSeries = [];
    private HashSet<(string, string)> _bridgeSeries = [];

    public FirelineMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        _duration = factory.CreateHistogram("fireline_operation_duration_seconds",
            "Time an operation took, successful or not; _count counts operations.",
            new HistogramConfiguration { LabelNames = ["operation"], Buckets = Histogram.ExponentialBuckets(0.00025, 2, 16) });
        _failures = factory.CreateCounter("fireline_operation_failures_total", "Operations that failed, by domain error code.", "operation", "code");
        _reconcileActions = factory.CreateCounter("fireline_reconcile_actions_total", "What reconcile did (repair, undo-create, remove-orphan, ...).", "action");
        _vm =
        [
            (VmCounter(factory, "rx_bytes", "Bytes the guest received."), s => s.RxBytes),
            (VmCounter(factory, "tx_bytes", "Bytes the guest sent."), s => s.TxBytes),
            (VmCounter(factory, "rx_packets", "Packets the guest received."), s => s.RxPackets),
            (VmCounter(factory, "tx_packets", "Packets the guest sent."), s => s.TxPackets),
            (VmCounter(factory, "rx_dropped", "Packets for the guest dropped at its TAP (the guest did not read them in time)."), s => s.RxDropped),
            (VmCounter(factory, "tx_dropped", "Packets from the guest dropped at its TAP."), s => s.TxDropped),
            (VmCounter(factory, "rx_errors", "Receive errors at the guest's TAP."), s => s.RxErrors),
            (VmCounter(factory, "tx_errors", "Send errors at the guest's TAP."), s => s.TxErrors),
        ];
        _leasesUsed = factory.CreateGauge("fireline_network_leases_used", "Addresses leased to VMs.", "network");
        _leasesFree = factory.CreateGauge("fireline_network_leases_free", "Addresses left for VMs in the network's subnet.", "network");
        _poolReady = factory.CreateGauge("fireline_pool_ready", "Ready slots in the network's warm pool (its pool key says how many it keeps).", "network");
        _bridgePorts = factory.CreateGauge("fireline_bridge_ports", $"Ports on each of the network's bridges (one per segment of 256 addresses), counted in the kernel (a Linux bridge takes {CapacityReader.BridgePortLimit}).", "bridge", "network");
        factory.CreateGauge("fireline_bridge_port_limit", "The most ports a Linux bridge takes.").Set(CapacityReader.BridgePortLimit);
        _neighbours = factory.CreateGauge("fireline_neighbour_entries", "Entries in the host namespace's neighbour (ARP/NDP) tables.");
        _scrapeSeconds = factory.CreateGauge("fireline_scrape_duration_seconds", "Time the last scrape took to read VM counters and capacity from the kernel.");
    }

    public void Completed(string operation, TimeSpan elapsed, string? failureCode)
    {
        _duration.WithLabels(operation).Observe(elapsed.TotalSeconds);
        if (failureCode is not null)
        {
            _failures.WithLabels(operation, failureCode).Inc();
        }
    }

    public void Reconciled(ReconcileReport report)
    {
        foreach (var action in report.Actions)
        {
            _reconcileActions.WithLabels(action.Action).Inc();
        }
    }

    /// <summary>Sets the per-VM and capacity series from a reading made now, and renders everything.</summary>
    public string Render(Func<(IReadOnlyList<VmStats> Stats, HostCapacity Capacity)> read)
    {
        lock (_scrape)
        {
            var started = Stopwatch.GetTimestamp();
            var (stats, capacity) = read();
            _scrapeSeconds.Set(Stopwatch.GetElapsedTime(started).TotalSeconds);
            SetVms(stats);
            SetCapacity(capacity);
            using var text = new MemoryStream();
            // A MemoryStream completes synchronously: no thread waits on I/O here.
            _registry.CollectAndExportAsTextAsync(text).GetAwaiter().GetResult();
            return Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
        }
    }

    private void SetVms(IReadOnlyList<VmStats> stats)
    {
        var seen = new HashSet<(string, string)>();
        foreach (var vm in stats)
        {
            seen.Add((vm.VmId, vm.Network));
            foreach (var (counter, value) in _vm)
            {
                // Kernel counters restart at zero when a TAP is recreated; IncTo never goes back, so a restarted
                // series is exported as removed and re-added below, which Prometheus' rate() reads as a reset.
                var child = counter.WithLabels(vm.VmId, vm.Network);
                if (value(vm) < child.Value)
                {
                    counter.RemoveLabelled(vm.VmId, vm.Network);
                    child = counter.WithLabels(vm.VmId, vm.Network);
                }

                child.IncTo(value(vm));
            }
        }

        foreach (var (vmId, network) in _vmSeries.Where(s => !seen.Contains(s)))
        {
            foreach (var (counter, _) in _vm)
            {
                counter.RemoveLabelled(vmId, network);
            }
        }

        _vmSeries = seen;
    }

    private void SetCapacity(HostCapacity capacity)
    {
        var networks = new HashSet<string>(StringComparer.Ordinal);
        var bridges = new HashSet<(string, string)>();
        foreach (var network in capacity.Networks)
        {
            networks.Add(network.Network);
            _leasesUsed.WithLabels(network.Network).Set(network.LeasesUsed);
            _leasesFree.WithLabels(network.Network).Set(network.LeasesFree);
            _poolReady.WithLabels(network.Network).Set(network.PoolReady);
            foreach (var (bridge, ports) in network.BridgePorts)
            {
                bridges.Add((bridge, network.Network));
                _bridgePorts.WithLabels(bridge, network.Network).Set(ports);
            }
        }

        foreach (var gone in _networkSeries.Where(n => !networks.Contains(n)))
        {
            _leasesUsed.RemoveLabelled(gone);
            _leasesFree.RemoveLabelled(gone);
            _poolReady.RemoveLabelled(gone);
        }

        foreach (var (bridge, network) in _bridgeSeries.Where(b => !bridges.Contains(b)))
        {
            _bridgePorts.RemoveLabelled(bridge, network);
        }

        _networkSeries = networks;
        _bridgeSeries = bridges;
        _neighbours.Set(capacity.NeighbourEntries);
    }

    private static Counter VmCounter(MetricFactory factory, string name, string help)
        => factory.CreateCounter($"fireline_vm_{name}_total", help + " Read from the VM's TAP; directions are the guest's.", VmLabels);
}
