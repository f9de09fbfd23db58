using Fireline.Faults;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Pool;

/// <summary>
/// The warm pool seen from outside: a create from a slot keeps every contract of a cold one, a slot given back carries
/// nothing of the VM before (counters, TAP owner, flows, a lingering VMM's descriptor), and a process killed at any
/// step of fill, acquire, release or scrub leaves, after reconcile, whole slots or nothing.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class WarmPoolTests : IDisposable
{
    private readonly EngineHost _env = new();

    public WarmPoolTests() => _env.Engine.InitHost(new HostInitRequest());

    private string Ns => _env.Host.HostNamespaceName;

    private void Apply(string subnet, int pool)
        => _env.Engine.ApplyNetworks($"networks:\n  - name: warm\n    subnet: {subnet}\n    pool: {pool}\n", dryRun: false, prune: false);

    private void WaitReady(int ready)
        => Eventually.True(() => _env.Engine.GetNetwork("warm").Pool.Ready == ready, $"the pool holds {ready} ready slot(s)");

    private static List<string> SlotNamespaces(string addressHex)
        => [.. Tool.Run("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])
            .Where(n => n.StartsWith("fls-", StringComparison.Ordinal) && n.EndsWith("-" + addressHex, StringComparison.Ordinal))];

    [Fact]
    public void A_create_from_the_pool_keeps_the_contract_of_a_cold_one_and_the_pool_refills()
    {
        Apply("10.77.0.0/24", pool: 2);
        WaitReady(2);
        var slot = Assert.Single(SlotNamespaces("0a4d0002"));
        var slotInode = Inode(slot);

        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("a"), Network = "warm" });

        Assert.Equal($"/var/run/netns/vm-{vm.VmId}", vm.NetnsPath);
        Assert.Equal("10.77.0.2", vm.Ipv4.Address);
        Assert.Equal("06:00:0a:4d:00:02", vm.GuestMac);
        Assert.Equal("ready", vm.State);
        Assert.Equal(slotInode, Inode(vm.Namespace)); // the slot's namespace is the VM's now
        Assert.Equal(slot, new FileInfo(vm.NetnsPath).LinkTarget); // by an alias, which the jailer's --netns opens as any name
        Assert.NotNull(Ip.Link(vm.Namespace, "tap0"));
        Assert.Equal("br-warm", Ip.Link(Ns, vm.HostVeth)!.Value.GetProperty("master").GetString());
        using (var guest = new GuestStandIn(_env.Host, vm))
        {
            Assert.True(guest.Ping("10.77.0.1"), "the guest reaches its gateway");
        }

        WaitReady(2);
        Assert.Equal(1, _env.Engine.GetNetwork("warm").Vms);
        KernelState.AssertConsistent(_env, _env.Engine.ListVms(), slots: 2);
    }

    private static string Inode(string ns) => Tool.Run("stat", "-L", "-c", "%i", $"/var/run/netns/{ns}").Trim();

    [Fact]
    public void A_slot_given_back_is_scrubbed_of_everything_the_vm_before_left()
    {
        // One address: the only slot is the one the deleted VM gives back.
        Apply("10.78.0.0/30", pool: 1);
        WaitReady(1);
        var first = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("first"), Network = "warm", TapOwner = 4242 });
        var inode = Inode(first.Namespace);
        using (var guest = new GuestStandIn(_env.Host, first))
        {
            Assert.True(guest.Ping("10.78.0.1"));
        }

        Assert.Contains($"src={first.Ipv4.Address} ", _env.Host.InHost("conntrack", "-L"), StringComparison.Ordinal);
        Assert.True(_env.Engine.GetStats(first.VmId).TxPackets > 0);

        Assert.True(_env.Engine.DeleteVm(first.VmId).Deleted);
        WaitReady(1);
        Assert.False(Ip.NamespaceExists(first.Namespace));
        Assert.DoesNotContain($"={first.Ipv4.Address} ", _env.Host.InHost("conntrack", "-L"), StringComparison.Ordinal);

        var second = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("second"), Network = "warm" });

        Assert.Equal(inode, Inode(second.Namespace)); // the same namespace: the slot was reused
        Assert.Equal(first.Ipv4.Address, second.Ipv4.Address);
        // Packets and bytes only: a frame flooded to a TAP nobody reads yet counts as dropped, for a cold TAP as well.
        var stats = _env.Engine.GetStats(second.VmId);
        Assert.Equal(0ul, stats.RxPackets + stats.TxPackets + stats.RxBytes + stats.TxBytes);
        var tap = Ip.Link(second.Namespace, "tap0")!.Value.GetProperty("linkinfo").GetProperty("info_data");
        Assert.False(tap.TryGetProperty("user", out _), $"the TAP kept the old owner: {tap}");
        using var next = new GuestStandIn(_env.Host, second);
        Assert.True(next.Ping("10.78.0.1"));
    }

    [Fact]
    public void A_slots_kept_tap_counts_from_zero_and_carries_no_setting_of_the_vm_before()
    {
        Apply("10.79.0.0/30", pool: 1);
        WaitReady(1);
        var first = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("first"), Network = "warm" });
        var tapIndex = TapIndex(first.Namespace);
        using (var guest = new GuestStandIn(_env.Host, first))
        {
            Assert.True(guest.Ping("10.79.0.1"));
        }

        Assert.Equal("attached", JailedVmm.Attach(first.Namespace, "tap0", 0, 0).StandardOutput.Trim()); // Firecracker's flags: a vnet header
        Assert.True(VnetHeader(first.Namespace));

        var before = _env.Engine.GetStats(first.VmId);
        Assert.True(before.TxPackets > 0 && before.RxPackets > 0);

        Assert.True(_env.Engine.DeleteVm(first.VmId).Deleted);
        WaitReady(1);
        var second = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("second"), Network = "warm" });

        Assert.Equal(tapIndex, TapIndex(second.Namespace)); // the same TAP, taken back rather than made again
        var stats = _env.Engine.GetStats(second.VmId);
        Assert.Equal(0ul, stats.RxPackets + stats.TxPackets + stats.RxBytes + stats.TxBytes);
        Assert.False(VnetHeader(second.Namespace), "the TAP kept what the VMM before set on it");
        using (var next = new GuestStandIn(_env.Host, second))
        {
            Assert.True(next.Ping("10.79.0.1"));
        }

        var after = _env.Engine.GetStats(second.VmId);
        Assert.InRange(after.TxPackets, 1ul, before.TxPackets); // this VM's packets alone
        Assert.Equal(after.TxPackets, _env.Engine.ListStats().Single(s => s.VmId == second.VmId).TxPackets);
    }

    [Fact]
    public void A_slot_whose_tap_a_process_outside_still_holds_is_never_handed_out_again()
    {
        Apply("10.83.0.0/30", pool: 1);
        WaitReady(1);
        var first = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("first"), Network = "warm" });
        var inode = Inode(first.Namespace);
        var holder = JailedVmm.HoldFromOutside(first.NetnsPath, "tap0", $"/var/run/netns/{Ns}");
        try
        {
            Assert.True(_env.Engine.DeleteVm(first.VmId).Deleted);
            WaitReady(1);
            var second = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("second"), Network = "warm" });

            Assert.Equal(first.Ipv4.Address, second.Ipv4.Address);
            Assert.NotEqual(inode, Inode(second.Namespace)); // a new slot: the held TAP went with the old one
            using var next = new GuestStandIn(_env.Host, second);
            Assert.True(next.Ping("10.83.0.1"));
        }
        finally
        {
            Probes.Stop(holder);
        }
    }

    private static int TapIndex(string ns) => Ip.Link(ns, "tap0")!.Value.GetProperty("ifindex").GetInt32();

    private static bool VnetHeader(string ns)
        => Ip.Link(ns, "tap0")!.Value.GetProperty("linkinfo").GetProperty("info_data").GetProperty("vnet_hdr").GetBoolean();

    [Fact]
    public void A_slot_a_process_is_still_inside_is_never_handed_out_again()
    {
        Apply("10.84.0.0/30", pool: 1);
        WaitReady(1);
        var first = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("first"), Network = "warm" });
        var inode = Inode(first.Namespace);
        using var lingering = new GuestStandIn(_env.Host, first); // a VMM that never exits: its relay is inside, on the TAP
        Assert.True(lingering.Ping("10.84.0.1"));

        Assert.True(_env.Engine.DeleteVm(first.VmId).Deleted);
        WaitReady(1);
        var second = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("second"), Network = "warm" });

        Assert.Equal(first.Ipv4.Address, second.Ipv4.Address);
        Assert.NotEqual(inode, Inode(second.Namespace)); // a new slot, not the one the process is in
        Assert.False(lingering.Ping("10.84.0.1"), "the process left inside the old namespace still reaches the network");
        using var next = new GuestStandIn(_env.Host, second);
        Assert.True(next.Ping("10.84.0.1"));
    }

    [Fact]
    public void Network_show_and_a_smaller_pool_and_network_delete_account_for_slots()
    {
        Apply("10.79.0.0/24", pool: 3);
        WaitReady(3);
        var view = _env.Engine.GetNetwork("warm");
        Assert.Equal(3, view.Pool.Size);
        Assert.Equal(0, view.Vms);

        Apply("10.79.0.0/24", pool: 1);
        WaitReady(1);
        KernelState.AssertConsistent(_env, [], slots: 1);

        _env.Engine.DeleteNetwork("warm");
        KernelState.AssertConsistent(_env, [], slots: 0);
        Assert.Empty(SlotNamespaces("0a4f0002").Concat(SlotNamespaces("0a4f0003")).Concat(SlotNamespaces("0a4f0004")));
    }

    [Fact]
    public void Reconcile_removes_a_vm_name_left_naming_this_instances_slot_and_leaves_one_naming_anothers()
    {
        Apply("10.85.0.0/30", pool: 1);
        WaitReady(1);
        var slot = Assert.Single(SlotNamespaces("0a550002"));
        var ours = $"/var/run/netns/vm-{_env.Host.VmId("left")}";
        var theirs = $"/var/run/netns/vm-{_env.Host.VmId("theirs")}";
        // What a delete killed after giving its slot back leaves once reconcile removed that slot: vm-ID naming a slot
        // name of this instance that nothing is mounted on. Another instance's alias names a slot of another instance.
        File.CreateSymbolicLink(ours, slot[..^8] + "0a55ffff");
        File.CreateSymbolicLink(theirs, $"fls-000000000000-{slot[^8..]}");
        try
        {
            var actions = _env.Engine.Reconcile().Actions;

            Assert.Contains(actions, a => a.Action == "remove-orphan" && a.Subject.EndsWith(Path.GetFileName(ours), StringComparison.Ordinal));
            Assert.Null(new FileInfo(ours).LinkTarget); // the alias of this instance's slot is gone
            Assert.NotNull(new FileInfo(theirs).LinkTarget); // not this instance's: left alone
            Assert.Equal(slot, Assert.Single(SlotNamespaces("0a550002"))); // the slot itself stays, whole
        }
        finally
        {
            File.Delete(theirs);
            File.Delete(ours);
        }

        KernelState.AssertConsistent(_env, [], slots: 1);
    }

    public static TheoryData<string> PoolPoints => [.. FaultPoints.Pool];

    [Theory]
    [MemberData(nameof(PoolPoints))]
    public void A_process_killed_at_any_step_of_the_pool_leaves_whole_slots_or_nothing(string point)
    {
        _env.Engine.Dispose(); // the CLI processes below take the state directory's lock
        var file = Path.Combine(_env.StateDirectory, "warm.yaml");
        // One address: the delete gives its slot back, as nothing could refill it.
        File.WriteAllText(file, "networks:\n  - name: warm\n    subnet: 10.80.0.0/30\n    pool: 1\n");
        var fault = new Dictionary<string, string> { [FaultPoints.Variable] = point };
        var id = _env.Host.VmId("k");
        // Fill (apply's pool work), acquire (create), release and scrub (delete): the point is on one of them.
        string[][] steps = [["network", "apply", "-f", file], ["vm", "create", id, "--network", "warm"], ["vm", "delete", id]];
        var killed = false;
        foreach (var step in steps)
        {
            var run = Cli.Run([.. _env.CliScope, .. step], fault);
            if (run.ExitCode == 137)
            {
                killed = true;
                break;
            }

            Assert.True(run.ExitCode == 0, $"{string.Join(' ', step)}: {run.StandardError}");
        }

        Assert.True(killed, $"no step reached {point}");
        var reconcile = Cli.Run([.. _env.CliScope, "-o", "json", "reconcile"]);
        Assert.True(reconcile.ExitCode == 0, reconcile.StandardError);

        var engine = _env.Reopen();
        var vms = engine.ListVms();
        var ready = engine.GetNetwork("warm").Pool.Ready;
        KernelState.AssertConsistent(_env, vms, slots: ready);
        Assert.Empty(engine.Reconcile().Actions); // a second reconcile finds nothing more
        // The pool works on: it fills again (the reconcile above started its work), and a create takes the slot.
        foreach (var vm in vms)
        {
            engine.DeleteVm(vm.VmId); // a create killed after its commit made its VM: it gives its slot back
        }

        WaitReady(1);
        var after = engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("after"), Network = "warm" });
        Assert.Equal("ready", after.State);
        engine.DeleteVm(after.VmId);
    }

    public void Dispose() => _env.Dispose();
}
