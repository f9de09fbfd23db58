using Fireline.Addressing;
using Fireline.Ipam;

namespace Fireline.Tests.Ipam;

public sealed class AddressPoolTests
{
    [Fact]
    public void Hands_out_the_whole_subnet_once_then_refuses()
    {
        var subnet = Ipv4Network.Parse("10.0.0.0/22");
        var pool = new AddressPool(subnet, AddressPool.InitialCursor(subnet), [], 0);
        var seen = new HashSet<uint>();
        while (pool.Peek() is { } allocation)
        {
            pool.Commit(allocation);
            Assert.True(seen.Add(allocation.Address));
            Assert.True(allocation.Address > subnet.Gateway && allocation.Address < subnet.Broadcast);
        }

        Assert.Equal(1021, seen.Count);
        Assert.Equal(0, pool.Free);
    }

    [Fact]
    public void Reuses_released_addresses_only_after_fresh_ones_and_oldest_release_first()
    {
        var subnet = Ipv4Network.Parse("10.0.0.0/29"); // .2 - .6: five VM addresses
        var pool = new AddressPool(subnet, AddressPool.InitialCursor(subnet), [], 0);
        var first = Take(pool);
        var second = Take(pool);
        pool.Release(second);
        pool.Release(first);

        Assert.Equal(["10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.3", "10.0.0.2"], Enumerable.Range(0, 5).Select(_ => Ipv4Network.Format(Take(pool))));
        Assert.Null(pool.Peek());
    }

    [Fact]
    public void Stays_constant_time_when_nearly_full()
    {
        var subnet = Ipv4Network.Parse("10.0.0.0/16");
        var pool = new AddressPool(subnet, subnet.LastVmAddress, [subnet.FirstVmAddress + 7], leased: 65_531);

        Assert.Equal(subnet.LastVmAddress, Take(pool));
        Assert.Equal(subnet.FirstVmAddress + 7, Take(pool));
        Assert.Null(pool.Peek());
    }

    private static uint Take(AddressPool pool)
    {
        var allocation = pool.Peek() ?? throw new InvalidOperationException("exhausted");
        pool.Commit(allocation);
        return allocation.Address;
    }
}
