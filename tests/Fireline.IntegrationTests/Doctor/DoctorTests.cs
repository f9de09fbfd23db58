using System.Text.Json;
using Fireline.Doctor;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Doctor;

/// <summary>Each check of the checklist fails when its piece is broken by hand, names its fix, and passes again once fixed.</summary>
[Trait("Category", Categories.Integration)]
public sealed class DoctorTests : IDisposable
{
    private readonly EngineHost _env = new();
    private readonly VmRecord _vm;

    public DoctorTests()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("doc") });
    }

    [Fact]
    public void A_healthy_host_passes_every_check_and_says_no_vmm_is_attached()
    {
        var report = _env.Engine.Doctor(null);

        Assert.True(report.Healthy, Describe(report));
        Assert.Equal(["ip-forwarding", "bridge-netfilter", "firewall-tables", "firewall-rules", "nat-rule", "uplink"],
            report.Checks.Where(c => c.Scope == "host").Select(c => c.Check));
        Assert.Equal(["bridge", "bridge-owner", "bridge-ports", "gateway-address", "segments"], report.Checks.Where(c => c.Scope == "network default").Select(c => c.Check));
        Assert.Equal(["namespace", "tap", "tap-carrier", "veth-joined", "host-veth", "gateway-reachable", "firewall-elements", "lease"],
            report.Checks.Where(c => c.Scope == $"vm {_vm.VmId}").Select(c => c.Check));
        Assert.Equal(CheckStatus.Info, Check(report, "tap-carrier").Status);
        Assert.Contains("no VMM attached", Check(report, "tap-carrier").Detail, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Info, Check(report, "gateway-reachable").Status);
    }

    [Fact]
    public void With_a_guest_on_the_tap_the_gateway_reaches_it()
    {
        using var guest = new GuestStandIn(_env.Host, _vm);

        var report = _env.Engine.Doctor(_vm.VmId);

        Assert.True(report.Healthy, Describe(report));
        Assert.Equal(CheckStatus.Pass, Check(report, "tap-carrier").Status);
        var reachable = Check(report, "gateway-reachable");
        Assert.Equal(CheckStatus.Pass, reachable.Status);
        Assert.Contains("answers ping", reachable.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_guest_that_answers_nothing_fails_with_its_expected_configuration()
    {
        using var guest = new GuestStandIn(_env.Host, _vm);
        Ip.Run("-n", guest.Namespace, "link", "set", "eth0", "down");

        var failed = Check(_env.Engine.Doctor(_vm.VmId), "gateway-reachable");

        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Contains(_vm.BootArgs, failed.Fix, StringComparison.Ordinal);
    }

    public static TheoryData<string> Breakages() =>
    [
        "ip-forwarding", "bridge-netfilter", "firewall-tables", "firewall-rules", "nat-rule", "bridge", "bridge-owner", "gateway-address",
        "tap", "veth-joined", "host-veth", "firewall-elements", "lease",
    ];

    [Theory]
    [MemberData(nameof(Breakages))]
    public void A_broken_piece_fails_its_check_names_reconcile_and_reconcile_heals_it(string check)
    {
        Break(check);

        var report = _env.Engine.Doctor(null);

        var failed = report.Checks.First(c => c.Check == check);
        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Equal("fireline reconcile", failed.Fix);
        Assert.False(report.Healthy);

        _env.Engine.Reconcile();
        var healed = _env.Engine.Doctor(null);
        Assert.True(healed.Healthy, Describe(healed));
    }

    [Fact]
    public void An_uplink_without_routes_fails_and_names_the_route_to_add()
    {
        Ip.Run("-n", _env.Host.HostNamespaceName, "addr", "flush", "dev", TestHost.UplinkName);

        var failed = Check(_env.Engine.Doctor(null), "uplink");

        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Contains($"ip route add default via GATEWAY dev {TestHost.UplinkName}", failed.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tap_without_its_recorded_owner_fails_names_reconcile_and_reconcile_heals_it()
    {
        var owned = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("owned"), TapOwner = 1234, TapGroup = 5678 });
        Assert.Equal(CheckStatus.Pass, Check(_env.Engine.Doctor(owned.VmId), "tap-owner", owned).Status);
        Ip.Run("-n", owned.Namespace, "link", "del", "tap0");
        Ip.Run("-n", owned.Namespace, "tuntap", "add", "dev", "tap0", "mode", "tap", "group", "5678");
        Ip.Run("-n", owned.Namespace, "link", "set", "tap0", "up");

        var failed = Check(_env.Engine.Doctor(owned.VmId), "tap-owner", owned);

        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Contains("no owner group 5678, not user 1234 group 5678", failed.Detail, StringComparison.Ordinal);
        Assert.StartsWith("fireline reconcile", failed.Fix, StringComparison.Ordinal);
        _env.Engine.Reconcile();
        Assert.Equal(CheckStatus.Pass, Check(_env.Engine.Doctor(owned.VmId), "tap-owner", owned).Status);
        Assert.True(_env.Engine.Doctor(null).Healthy, Describe(_env.Engine.Doctor(null)));
    }

    [Fact]
    public void A_vanished_namespace_fails_and_reconcile_drops_the_record()
    {
        Ip.Run("netns", "del", _vm.Namespace);

        var failed = Check(_env.Engine.Doctor(_vm.VmId), "namespace");

        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.StartsWith("fireline reconcile", failed.Fix, StringComparison.Ordinal);
        _env.Engine.Reconcile();
        Assert.True(_env.Engine.Doctor(null).Healthy);
    }

    [Fact]
    public void The_cli_prints_json_and_exits_1_when_a_check_fails()
    {
        _env.Engine.Dispose(); // the CLI takes the state directory's lock
        var healthy = Cli.Run([.. _env.CliScope, "-o", "json", "doctor"]);
        Assert.True(healthy.ExitCode == 0, healthy.StandardError + healthy.StandardOutput);

        Break("tap");
        var sick = Cli.Run([.. _env.CliScope, "-o", "json", "doctor", _vm.VmId]);

        Assert.Equal(1, sick.ExitCode);
        using var json = JsonDocument.Parse(sick.StandardOutput);
        var tap = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "tap");
        Assert.Equal("fail", tap.GetProperty("status").GetString());
        Assert.Equal("fireline reconcile", tap.GetProperty("fix").GetString());
        Assert.False(json.RootElement.GetProperty("healthy").GetBoolean());
    }

    private void Break(string check)
    {
        var host = _env.Host.HostNamespaceName;
        switch (check)
        {
            case "ip-forwarding":
                _env.Host.InHost("sysctl", "-w", "net.ipv4.ip_forward=0");
                break;
            case "bridge-netfilter":
                _env.Host.InHost("sysctl", "-w", "net.bridge.bridge-nf-call-iptables=0");
                break;
            case "firewall-tables":
                _env.Host.InHost("nft", "delete", "table", "bridge", "fireline");
                break;
            case "firewall-rules":
                _env.Host.InHost("nft", "flush", "chain", "inet", "fireline", "in-default");
                break;
            case "nat-rule":
                _env.Host.InHost("nft", "flush", "set", "inet", "fireline", "uplink");
                break;
            case "bridge":
                Ip.Run("-n", host, "link", "set", "br-vms", "down");
                break;
            case "bridge-owner":
                Ip.Run("-n", host, "link", "set", "br-vms", "alias", ""); // as a Fireline older than marks left it
                break;
            case "gateway-address":
                Ip.Run("-n", host, "addr", "flush", "dev", "br-vms");
                break;
            case "tap":
                Ip.Run("-n", _vm.Namespace, "link", "del", "tap0");
                break;
            case "veth-joined":
                Tool.Run("tc", "-n", _vm.Namespace, "filter", "del", "dev", "veth0", "ingress");
                break;
            case "host-veth":
                Ip.Run("-n", host, "link", "set", _vm.HostVeth, "nomaster");
                break;
            case "firewall-elements":
                _env.Host.InHost("nft", "delete", "element", "bridge", "fireline", "vm_macs", $"{{ \"{_vm.HostVeth}\" . {_vm.GuestMac} }}");
                break;
            case "lease":
                _env.Host.InHost("nft", "add", "element", "bridge", "fireline", "vm_ipv4", $"{{ \"{_vm.HostVeth}\" . {_vm.GuestMac} . 10.100.9.9 }}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(check), check, "no way to break it");
        }
    }

    private DoctorCheck Check(DoctorReport report, string check, VmRecord? vm = null)
        => report.Checks.Single(c => c.Check == check && (c.Scope == "host" || c.Scope == $"vm {(vm ?? _vm).VmId}" || c.Scope.StartsWith("network ", StringComparison.Ordinal)));

    private static string Describe(DoctorReport report)
        => string.Join("\n", report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => $"{c.Scope} {c.Check}: {c.Detail} (fix: {c.Fix})"));

    public void Dispose() => _env.Dispose();
}
