using System.Text.Json;
using Fireline.Errors;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Engine;

/// <summary>
/// Fireline touches only what carries its instance's mark: attacked with a second instance on the same test
/// host, foreign bridges, veths and namespaces under Fireline's own names, and objects left unmarked by an
/// older version. Everything is checked with iproute2.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class OwnershipTests : IDisposable
{
    private const string ForeignBridge = "dock0";

    private readonly EngineHost _env = new();
    private readonly string _otherStateDirectory = Path.Combine(Path.GetTempPath(), $"fireline-other-{Guid.NewGuid():n}");

    public OwnershipTests() => _env.Engine.InitHost(new HostInitRequest());

    private string Ns => _env.Host.HostNamespaceName;

    [Fact]
    public void A_second_instance_with_an_empty_state_directory_reconciles_without_touching_the_first()
    {
        var vms = new[] { "a", "b" }.Select(n => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId(n) })).ToList();
        _env.Engine.ApplyNetworks("networks:\n  - name: second\n    subnet: 10.60.0.0/24\n", dryRun: false, prune: false);
        var web = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("web"), Network = "second" });
        var before = Snapshot(Ns);

        // The issue's reproduction: another (here: empty) state directory, the same host namespace.
        var reconcile = Cli.Run(["--state-dir", _otherStateDirectory, "--host-netns", Ns, "-o", "json", "reconcile"]);

        Assert.Equal(0, reconcile.ExitCode);
        Assert.Empty(KernelState.Json(reconcile.StandardOutput).GetProperty("actions").EnumerateArray());
        Assert.Equal(before, Snapshot(Ns));
        KernelState.AssertConsistent(_env, [.. vms, web]);
        Assert.Empty(_env.Engine.Reconcile().Actions);
    }

    [Fact]
    public void A_second_instance_cannot_take_the_first_instances_bridge_and_changes_nothing_trying()
    {
        var first = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("first") });
        var before = Snapshot(Ns);

        var takeover = Cli.Run(["--state-dir", _otherStateDirectory, "--host-netns", Ns, "-o", "json", "host", "init", "--subnet", "10.70.0.0/16"]);

        Assert.Equal(1, takeover.ExitCode);
        var error = KernelState.Json(takeover.StandardError).GetProperty("error");
        Assert.Equal((DomainErrors.BridgeInUseCode, "bridge"), (error.GetProperty("code").GetString(), error.GetProperty("field").GetString()));
        Assert.Contains("br-vms", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(Ns));
        Assert.Empty(_env.Engine.Reconcile().Actions);
        KernelState.AssertConsistent(_env, [first]);
    }

    [Fact]
    public void A_vlan_whose_device_name_another_link_holds_is_refused_and_the_link_survives()
    {
        // This kernel has no 802.1Q, so only a dry run gets this far; the check is the same for an apply.
        Ip.Run("-n", Ns, "link", "add", "vlan77", "type", "bridge"); // no dummy driver here: any kind that is not this instance's VLAN device
        var before = Snapshot(Ns) + _env.Host.InHost("nft", "list", "ruleset");

        var error = Assert.Throws<FirelineException>(() => _env.Engine.ApplyNetworks("networks:\n  - name: tagged\n    subnet: 10.61.0.0/24\n    vlan: 77\n", dryRun: true, prune: false));

        Assert.Equal(("conflict", "networks[0].vlan"), (error.Code, error.Field));
        Assert.Contains("vlan77", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(Ns) + _env.Host.InHost("nft", "list", "ruleset"));
        Assert.Equal("bridge", Ip.Link(Ns, "vlan77")!.Value.GetProperty("linkinfo").GetProperty("info_kind").GetString());
    }

    [Fact]
    public void A_network_naming_a_foreign_bridge_is_refused_with_nothing_stored_and_the_bridge_survives()
    {
        Ip.Run("-n", Ns, "link", "add", ForeignBridge, "type", "bridge");
        var yaml = $"networks:\n  - name: hijack\n    subnet: 10.61.0.0/24\n    bridge: {ForeignBridge}\n";
        var before = Snapshot(Ns) + _env.Host.InHost("nft", "list", "ruleset");

        foreach (var dryRun in new[] { true, false })
        {
            var error = Assert.Throws<FirelineException>(() => _env.Engine.ApplyNetworks(yaml, dryRun, prune: false));
            Assert.Equal((DomainErrors.BridgeInUseCode, "bridge", ErrorKind.Conflict), (error.Code, error.Field, error.Kind));
            Assert.Contains(ForeignBridge, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Snapshot(Ns) + _env.Host.InHost("nft", "list", "ruleset"));
        Assert.DoesNotContain(_env.Engine.ListNetworks(), n => n.Name == "hijack");
        Assert.Equal("network-not-found", Assert.Throws<FirelineException>(() => _env.Engine.DeleteNetwork("hijack")).Code);
        var bridge = Ip.Link(Ns, ForeignBridge)!.Value;
        Assert.False(bridge.TryGetProperty("ifalias", out _));
        Assert.Empty(Ip.AddressesOf(Ns, ForeignBridge));
    }

    [Fact]
    public void Host_init_on_a_foreign_or_another_instances_bridge_is_refused_and_changes_nothing()
    {
        using var fresh = new EngineHost();
        Ip.Run("-n", fresh.Host.HostNamespaceName, "link", "add", ForeignBridge, "type", "bridge");
        Ip.Run("-n", fresh.Host.HostNamespaceName, "link", "add", "br-marked", "type", "bridge");
        Ip.Run("-n", fresh.Host.HostNamespaceName, "link", "set", "br-marked", "alias", "fireline:0123456789abcdef0123456789abcdef");
        Ip.Run("-n", fresh.Host.HostNamespaceName, "link", "add", "veth-named", "type", "veth", "peer", "name", "veth-peer");
        var before = Snapshot(fresh.Host.HostNamespaceName) + fresh.Host.InHost("sysctl", "net.ipv4.ip_forward");

        foreach (var (bridge, whose) in new[] { (ForeignBridge, "no mark"), ("br-marked", "mark of something else"), ("veth-named", "not a bridge") })
        {
            var error = Assert.Throws<FirelineException>(() => fresh.Engine.InitHost(new HostInitRequest { Bridge = bridge }));
            Assert.Equal(DomainErrors.BridgeInUseCode, error.Code);
            Assert.Contains(bridge, error.Message, StringComparison.Ordinal);
            Assert.Contains(whose, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Snapshot(fresh.Host.HostNamespaceName) + fresh.Host.InHost("sysctl", "net.ipv4.ip_forward"));
        Assert.False(fresh.Engine.GetHostStatus().Initialized);
        Assert.Empty(fresh.Engine.ListNetworks());
    }

    [Fact]
    public void Foreign_links_and_namespaces_under_firelines_names_survive_reconcile()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("mine") });
        var ours = Alias(vm.HostVeth)!;
        // A veth and a bridge named like host veths; a bridge that even carries this instance's mark, but is no veth.
        Ip.Run("-n", Ns, "link", "add", "fl0a000002", "type", "veth", "peer", "name", "flpeer0");
        Ip.Run("-n", Ns, "link", "add", "fl0a640099", "type", "bridge");
        Ip.Run("-n", Ns, "link", "add", "fl0a640098", "type", "bridge");
        Ip.Run("-n", Ns, "link", "set", "fl0a640098", "alias", ours);
        // VM namespaces: a bare one, one another instance marked, and one whose veth peer sits in this host namespace.
        var bare = $"vm-{_env.Host.VmId("bare")}";
        var marked = $"vm-{_env.Host.VmId("marked")}";
        var peered = $"vm-{_env.Host.VmId("peered")}";
        foreach (var name in new[] { bare, marked, peered })
        {
            Ip.Run("netns", "add", name);
        }

        Ip.Run("-n", marked, "tuntap", "add", "tap0", "mode", "tap");
        Ip.Run("-n", marked, "link", "set", "tap0", "alias", "fireline:0123456789abcdef0123456789abcdef:other");
        Ip.Run("-n", Ns, "link", "add", "fl0a000003", "type", "veth", "peer", "name", "veth0", "netns", peered);

        var report = _env.Engine.Reconcile();

        Assert.Empty(report.Actions);
        foreach (var link in new[] { "fl0a000002", "fl0a640099", "fl0a640098", "fl0a000003", vm.HostVeth })
        {
            Assert.NotNull(Ip.Link(Ns, link));
        }

        Assert.All(new[] { bare, marked, peered, vm.Namespace }, name => Assert.True(Ip.NamespaceExists(name), name));
        Assert.NotNull(Ip.Link(peered, "veth0"));
    }

    [Fact]
    public void A_vm_that_would_take_a_foreign_veths_name_is_refused_and_the_veth_survives()
    {
        // The first VM address of the default network is 10.100.0.2, so its host veth would be fl0a640002.
        Ip.Run("-n", Ns, "link", "add", "fl0a640002", "type", "veth", "peer", "name", "flpeer0");

        var error = Assert.Throws<FirelineException>(() => _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("clash") }));

        Assert.Contains("fl0a640002", error.Message, StringComparison.Ordinal);
        Assert.NotNull(Ip.Link(Ns, "fl0a640002"));
        Assert.NotNull(Ip.Link(Ns, "flpeer0"));
        var next = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("clash") });
        Assert.NotEqual("fl0a640002", next.HostVeth);
        Assert.Equal("br-vms", Master(next.HostVeth));
        Assert.Null(Master("fl0a640002"));
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("reconcile")]
    public void A_vms_namespace_replaced_by_one_with_another_mark_is_left_alone_when_the_record_goes(string how)
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("taken") });
        // Its namespace went behind Fireline's back, and another instance made one of that name.
        Ip.Run("netns", "del", vm.Namespace);
        Ip.Run("netns", "add", vm.Namespace);
        Ip.Run("-n", vm.Namespace, "tuntap", "add", "tap0", "mode", "tap");
        Ip.Run("-n", vm.Namespace, "link", "set", "tap0", "alias", "fireline:0123456789abcdef0123456789abcdef:taken");

        if (how == "delete")
        {
            Assert.True(_env.Engine.DeleteVm(vm.VmId).Deleted);
        }
        else
        {
            Assert.Equal("drop-vanished", Assert.Single(_env.Engine.Reconcile().Actions).Action);
        }

        Assert.Empty(_env.Engine.ListVms());
        Assert.True(Ip.NamespaceExists(vm.Namespace));
        Assert.Equal("fireline:0123456789abcdef0123456789abcdef:taken", Alias("tap0", vm.Namespace));
    }

    [Fact]
    public void Unmarked_objects_of_the_instances_own_records_are_adopted_not_removed()
    {
        _env.Engine.ApplyNetworks("networks:\n  - name: older\n    subnet: 10.62.0.0/24\n", dryRun: false, prune: false);
        var vms = new[]
        {
            _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("old1") }),
            _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("old2"), Network = "older" }),
        };
        var bridges = _env.Engine.ListNetworks().Select(n => n.Bridge).ToList();
        // What a Fireline older than marks left: no aliases, and a state directory without an instance id.
        _env.Engine.Dispose();
        StateDatabase.Execute(_env.StateDirectory, "DELETE FROM meta WHERE key = 'setting.instance-id'");
        foreach (var link in bridges.Concat(vms.Select(v => v.HostVeth)))
        {
            Ip.Run("-n", Ns, "link", "set", link, "alias", "");
        }

        foreach (var vm in vms)
        {
            Ip.Run("-n", vm.Namespace, "link", "set", "tap0", "alias", "");
            Ip.Run("-n", vm.Namespace, "link", "set", "veth0", "alias", "");
        }

        // And firewall tables without a mark (their rules, another version's, are rebuilt).
        foreach (var family in new[] { "inet", "bridge" })
        {
            _env.Host.InHost("nft", "delete", "table", family, "fireline");
            _env.Host.InHost("nft", "add", "table", family, "fireline");
        }

        var engine = _env.Reopen();
        var report = engine.Reconcile();

        Assert.Equal(
            [.. bridges.Select(_ => "adopt"), "repair", .. vms.Select(_ => "adopt")],
            report.Actions.Select(a => a.Action));
        KernelState.AssertConsistent(_env, engine.ListVms());
        var mark = Alias(bridges[0])!;
        Assert.StartsWith("fireline:", mark, StringComparison.Ordinal);
        Assert.All(bridges, b => Assert.Equal(mark, Alias(b)));
        foreach (var vm in vms)
        {
            Assert.Equal($"{mark}:{vm.VmId}", Alias(vm.HostVeth));
            Assert.Equal($"{mark}:{vm.VmId}", Alias("tap0", vm.Namespace));
            Assert.Equal($"{mark}:{vm.VmId}", Alias("veth0", vm.Namespace));
        }

        Assert.Empty(engine.Reconcile().Actions);
        foreach (var vm in vms)
        {
            engine.DeleteVm(vm.VmId);
        }

        engine.DeleteNetwork("older");
        Assert.Null(Ip.Link(Ns, bridges.Single(b => b != "br-vms")));
        KernelState.AssertConsistent(_env, []);
    }

    [Fact]
    public void A_recorded_bridge_that_carries_another_mark_is_left_alone_by_reconcile_and_named_by_doctor()
    {
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("stranded") });
        const string other = "fireline:0123456789abcdef0123456789abcdef";
        Ip.Run("-n", Ns, "link", "set", "br-vms", "alias", other);
        Ip.Run("-n", Ns, "link", "set", vm.HostVeth, "nomaster");

        var report = _env.Engine.Reconcile();

        Assert.Equal([("skip", "network default"), ("skip", vm.VmId)], report.Actions.Select(a => (a.Action, a.Subject)));
        Assert.Equal(other, Alias("br-vms"));
        Assert.Null(Master(vm.HostVeth));
        var check = _env.Engine.Doctor(null).Checks.Single(c => c.Check == "bridge-owner");
        Assert.Equal(Fireline.Doctor.CheckStatus.Fail, check.Status);
        Assert.Contains("fireline network delete default", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unmarked_bridge_is_adopted_only_with_the_records_claim_or_the_instances_intent_to_create_it()
    {
        using var fresh = new EngineHost();
        var ns = fresh.Host.HostNamespaceName;
        // What a host init killed between creating the bridge and marking it leaves: the bridge with the MAC
        // Fireline gives it (06:00 + the gateway's address), unmarked, and no network record.
        Ip.Run("-n", ns, "link", "add", "br-vms", "address", "06:00:0a:64:00:01", "type", "bridge");

        Assert.Equal(DomainErrors.BridgeInUseCode, Assert.Throws<FirelineException>(() => fresh.Engine.InitHost(new HostInitRequest())).Code);

        fresh.Engine.Dispose();
        StateDatabase.Execute(fresh.StateDirectory, "INSERT INTO meta(key, value) VALUES('setting.creating-bridge', 'br-vms')");
        var engine = fresh.Reopen();
        engine.InitHost(new HostInitRequest());

        Assert.StartsWith("fireline:", Alias("br-vms", ns), StringComparison.Ordinal);
        Assert.Contains(Ip.AddressesOf(ns, "br-vms"), a => a.GetProperty("local").GetString() == "10.100.0.1");
    }

    public void Dispose()
    {
        _env.Dispose();
        if (Directory.Exists(_otherStateDirectory))
        {
            Directory.Delete(_otherStateDirectory, recursive: true);
        }
    }

    /// <summary>
    /// What a change would touch, and nothing the kernel changes on its own (timers, carrier, IPv6 duplicate address
    /// detection): each link's kind, master, administrative state, alias and IPv4 addresses.
    /// </summary>
    private static string Snapshot(string ns) => string.Join("\n", Ip.Links(ns).Select(l =>
    {
        string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.ToString() : null;
        var flags = l.GetProperty("flags").EnumerateArray().Select(f => f.GetString());
        var kind = l.TryGetProperty("linkinfo", out var info) ? Text(info, "info_kind") : null;
        var addresses = Ip.AddressesOf(ns, l.GetProperty("ifname").GetString()!).Where(a => Text(a, "family") == "inet").Select(a => $"{Text(a, "local")}/{Text(a, "prefixlen")}");
        return $"{Text(l, "ifname")} {kind} master={Text(l, "master")} up={flags.Contains("UP")} alias={Text(l, "ifalias")} {string.Join(",", addresses)}";
    }));

    private string? Alias(string link, string? ns = null)
        => Ip.Link(ns ?? Ns, link) is { } found && found.TryGetProperty("ifalias", out var alias) ? alias.GetString() : null;

    private string? Master(string link) => Ip.Link(Ns, link)!.Value.TryGetProperty("master", out var master) ? master.GetString() : null;
}
