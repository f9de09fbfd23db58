using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Ipam;

namespace Fireline.Tests.Ipam;

/// <summary>An address pool in cluster mode: it hands out addresses of blocks this node holds, and only those.</summary>
public sealed class AddressPoolBlockTests
{
    private static readonly Ipv4Network Subnet = Ipv4Network.Parse("10.0.0.0/24"); // four blocks of 64

    [Fact]
    public void Skips_blocks_other_nodes_hold_and_hands_out_only_from_its_own()
    {
        var blocks = new FakeBlocks { Foreign = { 0, 2 } };
        var pool = Pool(blocks);
        var handed = new List<uint>();
        while (pool.Peek() is { } allocation)
        {
            pool.Commit(allocation);
            handed.Add(allocation.Address);
        }

        Assert.Equal(64 + 63, handed.Count); // block 1 whole, block 3 without the broadcast address
        Assert.All(handed, a => Assert.Contains((int)((a - Subnet.Network) / 64), new[] { 1, 3 }));
        Assert.Equal([1, 3], blocks.Claimed);
    }

    [Fact]
    public void A_block_it_cannot_claim_leaves_the_pool_as_it_was()
    {
        var blocks = new FakeBlocks { Failing = true };
        var pool = Pool(blocks);

        Assert.Throws<FirelineException>(pool.Peek);

        blocks.Failing = false;
        Assert.Equal(Subnet.FirstVmAddress, pool.Peek()!.Address);
    }

    [Fact]
    public void A_released_address_rests_for_the_cooldown_before_it_is_reused()
    {
        var small = Ipv4Network.Parse("10.0.0.0/29");
        var resting = new AddressPool(small, AddressPool.InitialCursor(small), [small.FirstVmAddress], 1, network: "n", blocks: new FakeBlocks { Cooldown = TimeSpan.FromHours(1) });
        var rested = new AddressPool(small, AddressPool.InitialCursor(small), [small.FirstVmAddress], 1, network: "n", blocks: new FakeBlocks { Cooldown = TimeSpan.Zero });
        foreach (var pool in new[] { resting, rested })
        {
            while (pool.Peek() is { Recycled: false } fresh)
            {
                pool.Commit(fresh);
            }
        }

        Assert.Null(resting.Peek());
        Assert.Equal(small.FirstVmAddress, rested.Peek()!.Address);
    }

    [Fact]
    public void A_block_it_skipped_as_another_nodes_and_later_holds_is_handed_out_once_its_own_are_used_up()
    {
        var blocks = new FakeBlocks { Foreign = { 0 } };
        var pool = Pool(blocks);
        while (pool.Peek() is { } allocation)
        {
            pool.Commit(allocation);
        }

        blocks.Foreign.Clear(); // its node was gone long enough: the cluster reclaimed it, and this node may claim it
        var adopted = new List<uint>();
        while (pool.Peek() is { } allocation)
        {
            pool.Commit(allocation);
            adopted.Add(allocation.Address);
        }

        Assert.Equal(Enumerable.Range(2, 62).Select(i => Subnet.Network + (uint)i), adopted);
        Assert.Contains(0, blocks.Claimed);
    }

    [Fact]
    public void A_released_address_of_a_block_another_node_holds_now_is_never_reused()
    {
        var small = Ipv4Network.Parse("10.0.0.0/29");
        var blocks = new FakeBlocks { Cooldown = TimeSpan.Zero };
        var pool = new AddressPool(small, small.LastVmAddress + 1, [small.FirstVmAddress], 1, network: "n", blocks: blocks);
        blocks.Foreign.Add(0); // reclaimed and taken by another node while this one was gone

        Assert.Null(pool.Peek());
    }

    private static AddressPool Pool(FakeBlocks blocks) => new(Subnet, AddressPool.InitialCursor(Subnet), [], 0, network: "n", blocks: blocks);

    private sealed class FakeBlocks : IAddressBlocks
    {
        public HashSet<int> Foreign { get; } = [];

        public List<int> Claimed { get; } = [];

        public bool Failing { get; set; }

        public int BlockSize => 64;

        public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(1);

        public bool Acquire(string network, Ipv4Network subnet, uint address)
        {
            if (Failing)
            {
                throw new FirelineException(ErrorKind.Unavailable, "cluster-unavailable", "etcd is down");
            }

            var block = (int)((address - subnet.Network) / 64);
            if (Foreign.Contains(block))
            {
                return false;
            }

            if (!Claimed.Contains(block))
            {
                Claimed.Add(block);
            }

            return true;
        }
    }
}
