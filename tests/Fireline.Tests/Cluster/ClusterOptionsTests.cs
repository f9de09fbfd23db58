using Fireline.Cluster;
using Fireline.Errors;

namespace Fireline.Tests.Cluster;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void No_setting_at_all_is_single_host_mode()
        => Assert.Null(ClusterOptions.Parse(null, null, null, ClusterOptions.Flags));

    [Fact]
    public void Good_settings_are_parsed_once_into_typed_values()
    {
        var options = ClusterOptions.Parse("http://10.0.0.1:2379, https://etcd-b:2379", "node-a", "10.0.0.11", ClusterOptions.Flags)!;

        Assert.Equal(["http://10.0.0.1:2379/", "https://etcd-b:2379/"], options.Endpoints.Select(e => e.ToString()));
        Assert.Equal("node-a", options.Node);
        Assert.Equal("10.0.0.11", options.UnderlayAddress.ToString());
    }

    [Theory]
    [InlineData(null, "n", "10.0.0.1", "--cluster-etcd")]
    [InlineData("http://e:2379", null, "10.0.0.1", "--node")]
    [InlineData("http://e:2379", "n", null, "--underlay-address")]
    [InlineData("e:2379", "n", "10.0.0.1", "--cluster-etcd")]
    [InlineData("http://e", "n", "10.0.0.1", "--cluster-etcd")]
    [InlineData("ftp://e:2379", "n", "10.0.0.1", "--cluster-etcd")]
    [InlineData("http://u:p@e:2379", "n", "10.0.0.1", "--cluster-etcd")]
    [InlineData("http://e:2379/v3", "n", "10.0.0.1", "--cluster-etcd")]
    [InlineData("http://e:2379,", "n", "10.0.0.1", "--cluster-etcd")]
    [InlineData("http://e:2379", "Node", "10.0.0.1", "--node")]
    [InlineData("http://e:2379", "-n", "10.0.0.1", "--node")]
    [InlineData("http://e:2379", "n/../x", "10.0.0.1", "--node")]
    [InlineData("http://e:2379", "n", "fd00::1", "--underlay-address")]
    [InlineData("http://e:2379", "n", "127.0.0.1", "--underlay-address")]
    [InlineData("http://e:2379", "n", "0.0.0.0", "--underlay-address")]
    [InlineData("http://e:2379", "n", "239.1.1.1", "--underlay-address")]
    [InlineData("http://e:2379", "n", "10.0.0.1/24", "--underlay-address")]
    public void A_bad_or_missing_setting_is_refused_naming_its_field(string? endpoints, string? node, string? underlay, string field)
    {
        var error = Assert.Throws<FirelineException>(() => ClusterOptions.Parse(endpoints, node, underlay, ClusterOptions.Flags));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal(field, error.Field);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_block_reclaim_delay_is_the_address_cooldown_unless_set_in_whole_seconds()
    {
        var options = ClusterOptions.Parse("http://e:2379", "n", "10.0.0.1", ClusterOptions.Flags)!;

        Assert.Equal(TimeSpan.FromSeconds(60), options.BlockReclaimAfter);
        Assert.Equal(TimeSpan.FromSeconds(10), options.WithBlockReclaimAfter("10", ClusterOptions.ReclaimVariable).BlockReclaimAfter);
        Assert.Equal(TimeSpan.FromDays(1), options.WithBlockReclaimAfter("86400", ClusterOptions.ReclaimVariable).BlockReclaimAfter);
    }

    [Theory]
    [InlineData("9")] // under two lease periods: a node between keep-alives would look gone
    [InlineData("86401")]
    [InlineData("-10")]
    [InlineData("+10")]
    [InlineData(" 10")]
    [InlineData("10s")]
    [InlineData("1e3")]
    [InlineData("99999999999")]
    public void A_bad_block_reclaim_delay_is_refused_naming_its_variable(string seconds)
    {
        var options = ClusterOptions.Parse("http://e:2379", "n", "10.0.0.1", ClusterOptions.Flags)!;

        var error = Assert.Throws<FirelineException>(() => options.WithBlockReclaimAfter(seconds, ClusterOptions.ReclaimVariable));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal(ClusterOptions.ReclaimVariable, error.Field);
    }

    [Fact]
    public void A_node_name_is_at_most_63_characters()
    {
        Assert.NotNull(ClusterOptions.Parse("http://e:2379", new string('a', 63), "10.0.0.1", ClusterOptions.Flags));
        Assert.Throws<FirelineException>(() => ClusterOptions.Parse("http://e:2379", new string('a', 64), "10.0.0.1", ClusterOptions.Flags));
    }
}
