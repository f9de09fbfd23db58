using Fireline.Addressing;
using Fireline.State;
using Fireline.Vms;
using Microsoft.Data.Sqlite;

namespace Fireline.Tests.State;

/// <summary>One contract, two stores: what the domain relies on holds for SQLite and for the fake alike.</summary>
public abstract class StateStoreContractTests : IDisposable
{
    private static readonly NetworkSpec Default = new() { Name = "default", Subnet = Ipv4Network.Parse("10.100.0.0/16"), Bridge = "br-vms" };

    protected abstract IStateStore Store { get; }

    [Fact]
    public void Keeps_host_and_networks()
    {
        Store.SaveHost(new HostState("uplink0", Nat: true));
        Store.SaveNetwork(Default, 10);
        Store.SaveNetwork(Default with { Dns = ["9.9.9.9"] }, 99);

        Assert.Equal(new HostState("uplink0", true), Store.GetHost());
        var network = Assert.Single(Store.ListNetworks());
        Assert.Equal(["9.9.9.9"], network.Spec.Dns);
        Assert.Equal(10u, network.NextUnused); // an update keeps the allocator's cursor
    }

    [Fact]
    public void Keeps_settings_lists_them_by_prefix_and_deletes_them()
    {
        Store.SaveSetting("firewall.network.a", "1");
        Store.SaveSetting("firewall.network.b", "2");
        Store.SaveSetting("firewall.networks", "not under the prefix");
        Store.SaveSetting("firewall.network.a", "3");
        Store.DeleteSetting("firewall.network.b");
        Store.DeleteSetting("never-saved");

        Assert.Equal(new Dictionary<string, string> { ["firewall.network.a"] = "3" }, Store.ListSettings("firewall.network."));
        Assert.Null(Store.GetSetting("firewall.network.b"));
        Assert.Empty(Store.ListSettings("firewall.network_"));
    }

    [Fact]
    public void Generation_changes_with_every_write_and_with_no_read()
    {
        var seen = new List<long> { Store.Generation };
        void Wrote(Action write)
        {
            write();
            Assert.DoesNotContain(Store.Generation, seen);
            seen.Add(Store.Generation);
        }

        Wrote(() => Store.SaveNetwork(Default, 2));
        Wrote(() => Store.AddVm(new VmState(Id("a"), "default", 2, new VmOptions(), VmLifecycle.Creating), new Allocation(2, 3, false)));
        Wrote(() => Store.SetLifecycle(Id("a"), VmLifecycle.Ready));
        Wrote(() => Store.SetOptions(Id("a"), new VmOptions { TapOwner = 7 }));
        Wrote(() => Store.SaveSetting("k", "v"));
        _ = (Store.ListVms(), Store.GetVm(Id("a")), Store.ListNetworks(), Store.ListVfs(), Store.ListSlots(), Store.ListForwards(), Store.GetSetting("k"));
        Assert.Equal(seen[^1], Store.Generation);
        Wrote(() => Store.RemoveVm(Id("a")));
    }

    [Fact]
    public void Records_a_create_intent_with_its_lease_and_releases_on_removal()
    {
        Store.SaveNetwork(Default, 2);
        Store.AddVm(new VmState(Id("a"), "default", 2, new VmOptions { TapOwner = 5 }, VmLifecycle.Creating), new Allocation(2, 3, false));
        Store.SetLifecycle(Id("a"), VmLifecycle.Ready);

        Assert.Equal(VmLifecycle.Ready, Store.GetVm(Id("a"))!.Lifecycle);
        Assert.Equal(5u, Store.GetVm(Id("a"))!.Options.TapOwner);
        Assert.Equal(3u, Store.GetNetwork("default")!.NextUnused);

        Store.RemoveVm(Id("a"));
        Assert.Null(Store.GetVm(Id("a")));
        Assert.Equal([2u], Store.ListReleased("default"));
    }

    [Fact]
    public void Moves_a_lease_between_a_pool_slot_and_a_vm_at_once()
    {
        Store.SaveNetwork(Default, 2);
        Store.AddSlot(new PoolSlot("default", 2, SlotState.Filling), new Allocation(2, 3, false));
        Assert.Throws<InvalidOperationException>(() => Store.AddSlot(new PoolSlot("default", 2, SlotState.Filling), new Allocation(2, 3, false)));
        Store.SetSlotState("default", 2, SlotState.Ready);
        Assert.Equal([new PoolSlot("default", 2, SlotState.Ready)], Store.ListSlots());
        Assert.Equal(3u, Store.GetNetwork("default")!.NextUnused);

        Store.TakeSlot(new VmState(Id("a"), "default", 2, new VmOptions(), VmLifecycle.Creating));
        Assert.Empty(Store.ListSlots());
        Assert.Equal(2u, Store.GetVm(Id("a"))!.Address);
        Assert.Throws<InvalidOperationException>(() => Store.TakeSlot(new VmState(Id("b"), "default", 2, new VmOptions(), VmLifecycle.Creating)));

        Store.ReturnSlot(Id("a"), SlotState.Scrubbing);
        Assert.Null(Store.GetVm(Id("a")));
        Assert.Equal([new PoolSlot("default", 2, SlotState.Scrubbing)], Store.ListSlots());
        Assert.Empty(Store.ListReleased("default")); // the slot keeps the lease

        Store.RemoveSlot("default", 2);
        Assert.Empty(Store.ListSlots());
        Assert.Equal([2u], Store.ListReleased("default"));
    }

    [Fact]
    public void A_write_that_fails_part_way_changes_nothing_and_the_next_one_lands()
    {
        Store.SaveNetwork(Default, 2);
        Store.AddVm(new VmState(Id("a"), "default", 2, new VmOptions(), VmLifecycle.Ready), new Allocation(2, 3, false));
        Store.AddSlot(new PoolSlot("default", 3, SlotState.Ready), new Allocation(3, 4, false));

        // The slot's row goes first, then the VM's id is found taken: the slot must be back.
        Assert.Throws<InvalidOperationException>(() => Store.TakeSlot(new VmState(Id("a"), "default", 3, new VmOptions(), VmLifecycle.Creating)));

        Assert.Equal([new PoolSlot("default", 3, SlotState.Ready)], Store.ListSlots());
        Assert.Equal(2u, Assert.Single(Store.ListVms()).Address);
        Store.TakeSlot(new VmState(Id("b"), "default", 3, new VmOptions(), VmLifecycle.Creating));
        Assert.Empty(Store.ListSlots());
        Assert.Equal(2, Store.ListVms().Count);
    }

    [Fact]
    public void Refuses_a_second_lease_of_one_address_or_one_id()
    {
        Store.SaveNetwork(Default, 2);
        Store.AddVm(new VmState(Id("a"), "default", 2, new VmOptions(), VmLifecycle.Creating), new Allocation(2, 3, false));

        Assert.Throws<InvalidOperationException>(() => Store.AddVm(new VmState(Id("b"), "default", 2, new VmOptions(), VmLifecycle.Creating), new Allocation(2, 3, false)));
        Assert.Throws<InvalidOperationException>(() => Store.AddVm(new VmState(Id("a"), "default", 3, new VmOptions(), VmLifecycle.Creating), new Allocation(3, 4, false)));
        Assert.Single(Store.ListVms());
    }

    [Fact]
    public void A_recycled_allocation_consumes_the_oldest_release_of_that_address()
    {
        Store.SaveNetwork(Default, 2);
        foreach (var (id, address) in new[] { ("a", 2u), ("b", 3u) })
        {
            Store.AddVm(new VmState(Id(id), "default", address, new VmOptions(), VmLifecycle.Ready), new Allocation(address, address + 1, false));
        }

        Store.RemoveVm(Id("b"));
        Store.RemoveVm(Id("a"));
        Store.AddVm(new VmState(Id("c"), "default", 3, new VmOptions(), VmLifecycle.Creating), new Allocation(3, 4, Recycled: true));

        Assert.Equal([2u], Store.ListReleased("default"));
    }

    [Fact]
    public void Keeps_vf_allocations_one_per_vf_and_per_vm()
    {
        Store.AddVf(new VfAllocation(Id("a"), "ens1f0", 0, "ens1f0v0"));
        Store.AddVf(new VfAllocation(Id("b"), "ens1f0", 1, "ens1f0v1"));

        Assert.Throws<InvalidOperationException>(() => Store.AddVf(new VfAllocation(Id("c"), "ens1f0", 1, "ens1f0v1")));
        Assert.Throws<InvalidOperationException>(() => Store.AddVf(new VfAllocation(Id("a"), "ens2f0", 0, "ens2f0v0")));
        Assert.Equal(["a", "b"], Store.ListVfs().Select(v => v.VmId.Value));

        Store.RemoveVf(Id("a"));
        Assert.Equal([new VfAllocation(Id("b"), "ens1f0", 1, "ens1f0v1")], Store.ListVfs());
    }

    public virtual void Dispose() => Store.Dispose();

    private static VmId Id(string id) => VmId.Parse(id);
}

public sealed class InMemoryStateStoreTests : StateStoreContractTests
{
    protected override IStateStore Store { get; } = new InMemoryStateStore();
}

public sealed class SqliteStateStoreTests : StateStoreContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fireline-state-").FullName;
    private readonly SqliteStateStore _store;

    public SqliteStateStoreTests() => _store = new SqliteStateStore(Path.Combine(_directory, "fireline.db"));

    protected override IStateStore Store => _store;

    [Fact]
    public void Survives_reopening()
    {
        _store.SaveNetwork(new NetworkSpec { Name = "n", Subnet = Ipv4Network.Parse("10.1.0.0/24"), Bridge = "br-n" }, 2);
        _store.Dispose();
        using var reopened = new SqliteStateStore(Path.Combine(_directory, "fireline.db"));
        Assert.Equal("10.1.0.0/24", reopened.GetNetwork("n")!.Spec.Subnet.ToString());
    }

    /// <summary>Rows as earlier versions wrote them (the state file's format) read into typed values, and are written back the same.</summary>
    [Fact]
    public void Reads_and_writes_the_state_files_format()
    {
        const string spec = """{"name":"n","subnet":"10.1.0.0/24","bridge":"br-n","nat":true,"dns":[],"ipv6":"fd00:1::/64","policies":[],"defaultIngress":"allow","defaultEgress":"allow","rateLimiter":"firecracker","metadata":false}""";
        const string options = """{"rateLimits":{"rx":{"bandwidth":{"size":1000,"one_time_burst":5,"refill_time":100}}},"ipv6":true}""";
        _store.Dispose(); // the open store holds the database's locks
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "fireline.db")};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO networks VALUES('n', '{spec}', 2); INSERT INTO vms VALUES('vm-1', 'n', 167837698, '{options}', 'Ready');";
            insert.ExecuteNonQuery();
        }

        using (var store = new SqliteStateStore(Path.Combine(_directory, "fireline.db")))
        {
            var network = store.GetNetwork("n")!.Spec;
            var vm = store.GetVm(VmId.Parse("vm-1"))!;
            Assert.Equal((Ipv4Network.Parse("10.1.0.0/24"), Ipv6Prefix.Parse("fd00:1::/64")), (network.Subnet, network.Ipv6));
            Assert.True(vm.Options.Ipv6);
            Assert.Equal(new Bucket { Size = 1000, RefillTimeMs = 100, OneTimeBurst = 5 }, vm.Options.RateLimits!.Rx!.Bandwidth);

            store.SaveNetwork(network, 2);
            store.SetOptions(vm.VmId, vm.Options);
        }

        Assert.Equal((spec, options), (Stored("SELECT spec FROM networks"), Stored("SELECT options FROM vms")));
    }

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string Stored(string query)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "fireline.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = query;
        return (string)command.ExecuteScalar()!;
    }
}
