using System.Diagnostics;
using System.Text.Json;
using Fireline.Errors;
using Fireline.Host;
using Fireline.Metrics;
using Fireline.TestSupport;
using Fireline.Vms;
using Xunit.Abstractions;

namespace Fireline.IntegrationTests.Metrics;

[Trait("Category", Categories.Integration)]
public sealed class StatsTests(ITestOutputHelper output) : IDisposable
{
    private readonly EngineHost _env = Initialized();

    [Fact]
    public void Counters_come_from_the_tap_inside_the_namespace_in_the_guests_direction()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("st") });
        using var guest = new GuestStandIn(_env.Host, vm);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(guest.Ping(vm.Ipv4.Gateway));
        }

        // The stand-in keeps sending a little of its own (IPv6 solicitations): the reading lies between two of iproute2's.
        var before = Tap(vm);
        var stats = _env.Engine.GetStats(vm.VmId);
        var after = Tap(vm);

        Assert.Equal(vm.VmId, stats.VmId);
        Assert.Equal("default", stats.Network);
        Assert.InRange(stats.TxPackets, before.Rx.Packets, after.Rx.Packets); // the guest sent what the TAP received
        Assert.InRange(stats.RxPackets, before.Tx.Packets, after.Tx.Packets);
        Assert.InRange(stats.TxBytes, before.Rx.Bytes, after.Rx.Bytes);
        Assert.InRange(stats.RxBytes, before.Tx.Bytes, after.Tx.Bytes);
        Assert.True(stats.TxPackets >= 3 && stats.RxPackets >= 3, $"tx {stats.TxPackets} rx {stats.RxPackets}");
        Assert.Equal([vm.VmId], _env.Engine.ListStats().Select(s => s.VmId));
    }

    [Fact]
    public void An_unknown_vm_has_no_stats_and_the_cli_prints_the_list()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("cli") });

        Assert.Equal("vm-not-found", Assert.Throws<FirelineException>(() => _env.Engine.GetStats(_env.Host.VmId("nope"))).Code);
        _env.Engine.Dispose(); // the CLI takes the state directory's lock
        var result = Cli.Run([.. _env.CliScope, "-o", "json", "stats"]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var only = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(vm.VmId, only.GetProperty("vmId").GetString());
        Assert.True(only.TryGetProperty("rxDropped", out _));
    }

    [Fact]
    public void Stats_and_a_scrape_cover_a_thousand_vms()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => _env.Host.VmId($"s{i}")).ToList();
        Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, id => _env.Engine.CreateVm(new VmCreateRequest { VmId = id }));

        _env.Engine.ListStats();
        var timer = Stopwatch.StartNew();
        var stats = _env.Engine.ListStats();
        var list = timer.Elapsed;
        timer.Restart();
        var text = _env.Engine.RenderPrometheusText();
        var scrape = timer.Elapsed;

        Assert.Equal(1000, stats.Count);
        Assert.Equal(1000, text.Split('\n').Count(l => l.StartsWith("fireline_vm_rx_bytes_total{", StringComparison.Ordinal)));
        output.WriteLine($"ListStats at 1,000 VMs: {list.TotalMilliseconds:F0} ms; /metrics render: {scrape.TotalMilliseconds:F0} ms, {text.Length / 1024} KiB");
        Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, id => _env.Engine.DeleteVm(id));
    }

    private (Counters Rx, Counters Tx) Tap(VmRecord vm)
    {
        var stats = Ip.Json("-n", vm.Namespace, "-s", "-j", "link", "show", "dev", vm.TapDevice).Single().GetProperty("stats64");
        return (Read(stats.GetProperty("rx")), Read(stats.GetProperty("tx")));
    }

    private static Counters Read(JsonElement direction) => new(direction.GetProperty("packets").GetUInt64(), direction.GetProperty("bytes").GetUInt64());

    private static EngineHost Initialized()
    {
        var env = new EngineHost();
        env.Engine.InitHost(new HostInitRequest());
        return env;
    }

    public void Dispose() => _env.Dispose();

    private readonly record struct Counters(ulong Packets, ulong Bytes);
}
