using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Pool;

/// <summary>The warm pool through the daemon: declared with a network, filled in the background, seen in the network's view and the metrics.</summary>
[Trait("Category", Categories.Integration)]
public sealed class PoolApiTests : IDisposable
{
    private readonly EngineHost _env = new();
    private readonly DaemonProcess _daemon;

    public PoolApiTests()
    {
        _env.Engine.Dispose();
        _daemon = new DaemonProcess(_env);
        Assert.Equal(200, _daemon.Send("PUT", "/v1/host", "{}").Status);
    }

    private int Ready() => _daemon.Send("GET", "/v1/networks/warm").Json.GetProperty("pool").GetProperty("ready").GetInt32();

    [Fact]
    public void A_network_put_with_a_pool_fills_it_and_a_create_takes_a_slot_the_pool_then_replaces()
    {
        var put = _daemon.Send("PUT", "/v1/networks/warm", """{"subnet":"10.82.0.0/24","pool":2}""");
        Assert.True(put.Status is 200 or 201, put.Body);
        Eventually.True(() => Ready() == 2, "the daemon fills the pool in the background");
        Assert.Equal(2, _daemon.Send("GET", "/v1/networks/warm").Json.GetProperty("pool").GetProperty("size").GetInt32());

        var vm = _daemon.Send("PUT", $"/v1/vms/{_env.Host.VmId("a")}", """{"network":"warm"}""");
        Assert.Equal(200, vm.Status);
        Assert.Equal("10.82.0.2", vm.Json.GetProperty("ipv4").GetProperty("address").GetString()); // the first slot's
        Eventually.True(() => Ready() == 2, "a slot taken is replaced");

        var metrics = _daemon.Send("GET", "/metrics").Body;
        Assert.Contains("fireline_pool_ready{network=\"warm\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("operation=\"pool-acquire\"", metrics, StringComparison.Ordinal);
        Assert.Equal(200, _daemon.Send("DELETE", $"/v1/vms/{_env.Host.VmId("a")}").Status);
    }

    [Theory]
    [InlineData("""{"subnet":"10.83.0.0/24","pool":513}""", "out of range")]
    [InlineData("""{"subnet":"10.83.0.0/29","pool":6}""", "has addresses for VMs (5)")]
    [InlineData("""{"subnet":"10.83.0.0/24","pool":"many"}""", "pool")]
    public void A_bad_pool_is_refused_naming_the_field_and_changes_nothing(string body, string words)
    {
        var answer = _daemon.Send("PUT", "/v1/networks/warm", body);

        Assert.Equal(400, answer.Status);
        Assert.Contains(words, answer.Body, StringComparison.Ordinal);
        Assert.Equal(404, _daemon.Send("GET", "/v1/networks/warm").Status);
    }

    public void Dispose()
    {
        _daemon.Dispose();
        _env.Dispose();
    }
}
