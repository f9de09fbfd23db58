using System.Text.Json;
using Fireline.TestSupport;
using Fireline.TestSupport.Cni;

namespace Fireline.IntegrationTests.Cni;

/// <summary>
/// The plugin as a runtime drives it: every verb in every spec version it speaks, the result held to
/// firecracker-go-sdk's rules as the SDK applies them, and the kernel read back with iproute2.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class CniVerbTests : IDisposable
{
    public static TheoryData<string> Versions => ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    private readonly CniHost _host = new();

    private CniRuntime Runtime => _host.Runtime;

    [Theory]
    [MemberData(nameof(Versions))]
    public void Add_builds_the_devices_in_the_runtimes_namespace_and_answers_in_the_version_asked(string version)
    {
        var (ns, path) = _host.NewNamespace();
        var id = _host.ContainerId("add");

        var result = Runtime.Add(id, path, "veth0", version, args: "IgnoreUnknown=1;TC_REDIRECT_TAP_NAME=tap1;TC_REDIRECT_TAP_UID=1234;TC_REDIRECT_TAP_GID=1235;K8S_POD_NAME=x").Succeeded().Json;

        Assert.Equal(version, result.GetProperty("cniVersion").GetString());
        var conf = VmConf.From(result, id);
        Assert.Equal(("tap1", path, "06:00:0a:64:00:02", "10.100.0.2/16", "10.100.0.1"), (conf.TapName, conf.NetnsPath, conf.MacAddress, conf.Address, conf.Gateway));
        var ips = result.GetProperty("ips").EnumerateArray().ToList();
        Assert.All(ips, ip => Assert.Equal(string.CompareOrdinal(version, "1.0.0") < 0, ip.TryGetProperty("version", out _)));
        var interfaces = result.GetProperty("interfaces").EnumerateArray().ToList();
        Assert.Equal(["fl0a640002", "veth0", "tap1", "tap1"], interfaces.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal("0.0.0.0/0", result.GetProperty("routes")[0].GetProperty("dst").GetString());

        var inside = Ip.Links(ns).ToDictionary(l => l.GetProperty("ifname").GetString()!);
        Assert.Equal("veth", inside["veth0"].GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal("tun", inside["tap1"].GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal(1234, inside["tap1"].GetProperty("linkinfo").GetProperty("info_data").GetProperty("user").GetInt32());
        Assert.Equal(1235, inside["tap1"].GetProperty("linkinfo").GetProperty("info_data").GetProperty("group").GetInt32());
        Assert.Equal("br-vms", Ip.Link(_host.HostNs, "fl0a640002")!.Value.GetProperty("master").GetString());

        Runtime.Delete(id, path, "veth0", version, prevResult: result.GetRawText()).Succeeded();
        _host.AssertNothingLeft(ns);
    }

    [Fact]
    public void A_dual_stack_attachment_puts_its_ipv6_on_the_veth_entry_and_dns_in_the_result()
    {
        Assert.Equal(201, _host.Daemon.Send("PUT", "/v1/networks/dns", """{"subnet":"10.210.0.0/24","ipv6":"fd00:210::/64","dns":["10.210.0.1"]}""").Status);
        var (_, path) = _host.NewNamespace();
        var id = _host.ContainerId("v6");

        var result = Runtime.Add(id, path, extra: "\"network\":\"dns\",\"ipv6\":true").Succeeded().Json;

        var conf = VmConf.From(result, id);
        Assert.Equal(["10.210.0.1"], conf.Nameservers);
        var ipv6 = result.GetProperty("ips").EnumerateArray().Single(ip => ip.GetProperty("address").GetString()!.Contains(':', StringComparison.Ordinal));
        Assert.Equal("eth0", result.GetProperty("interfaces")[ipv6.GetProperty("interface").GetInt32()].GetProperty("name").GetString());
        Runtime.Delete(id, path).Succeeded();
    }

    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void Check_passes_after_add_and_says_what_is_wrong_once_the_tap_is_removed_by_hand(string version)
    {
        var (ns, path) = _host.NewNamespace();
        var id = _host.ContainerId("check");
        var result = Runtime.Add(id, path, version: version).Succeeded().StandardOutput;

        Assert.Equal("", Runtime.Check(id, path, result, version: version).Succeeded().StandardOutput);

        Ip.Run("-n", ns, "link", "del", "tap0");
        var broken = Runtime.Check(id, path, result, version: version);
        Assert.Equal(103, broken.Code);
        Assert.Contains("tap0 is missing", broken.Json.GetProperty("details").GetString(), StringComparison.Ordinal);

        Runtime.Delete(id, path, version: version).Succeeded();
        Assert.Equal(3, Runtime.Check(id, path, result, version: version).Code);
        _host.AssertNothingLeft(ns);
    }

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    public void Check_is_refused_before_the_version_that_brought_it(string version)
    {
        var (_, path) = _host.NewNamespace();
        Assert.Equal(1, Runtime.Check(_host.ContainerId("old"), path, "{}", version: version).Code);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Del_succeeds_before_any_add_twice_and_without_a_namespace(string version)
    {
        var (ns, path) = _host.NewNamespace();
        var id = _host.ContainerId("del");

        Runtime.Delete(id, path, version: version).Succeeded();
        Runtime.Add(id, path, version: version).Succeeded();
        Runtime.Delete(id, null, version: version).Succeeded();
        Runtime.Delete(id, path, version: version).Succeeded();

        _host.AssertNothingLeft(ns);
    }

    [Fact]
    public void Del_after_the_runtime_removed_its_namespace_releases_the_address()
    {
        var (ns, path) = _host.NewNamespace();
        var id = _host.ContainerId("gone");
        Runtime.Add(id, path).Succeeded();

        Ip.Run("netns", "del", ns);
        Runtime.Delete(id, path).Succeeded();

        Eventually.True(() => _host.Vms().Count == 0 && _host.HostVeths().Count == 0, "the record and the host veth are gone");
    }

    [Fact]
    public void Del_after_a_daemon_restart_removes_what_the_add_made()
    {
        var (ns, path) = _host.NewNamespace();
        var id = _host.ContainerId("restart");
        Runtime.Add(id, path).Succeeded();

        _host.Daemon.Stop();
        _host.Daemon.Start();
        Assert.Contains("tap0", CniHost.LinkNames(ns));
        Runtime.Delete(id, path).Succeeded();

        _host.AssertNothingLeft(ns);
    }

    [Fact]
    public void An_add_right_after_a_del_in_the_same_namespace_gets_the_names_back()
    {
        var (ns, path) = _host.NewNamespace();
        for (var round = 0; round < 3; round++)
        {
            var id = _host.ContainerId($"again{round}");
            Runtime.Delete(id, path).Succeeded(); // firecracker-go-sdk's DEL before every ADD
            VmConf.From(Runtime.Add(id, path).Succeeded().Json, id);
            Runtime.Delete(id, path).Succeeded();
        }

        _host.AssertNothingLeft(ns);
    }

    [Fact]
    public void Gc_removes_the_networks_attachments_not_listed_and_never_a_vm_of_the_api()
    {
        var kept = _host.NewNamespace();
        var stale = _host.NewNamespace();
        var other = _host.NewNamespace();
        Runtime.Add(_host.ContainerId("kept"), kept.Path).Succeeded();
        Runtime.Add(_host.ContainerId("stale"), stale.Path).Succeeded();
        var otherNetwork = new CniRuntime(_host.Daemon.Socket, "other-net");
        otherNetwork.Add(_host.ContainerId("other"), other.Path).Succeeded();
        var apiVm = _host.ContainerId("api");
        Assert.Equal(200, _host.Daemon.Send("PUT", $"/v1/vms/{apiVm}", "{}").Status);

        var valid = $$"""[{"containerID":"{{_host.ContainerId("kept")}}","ifname":"eth0"}]""";
        Assert.Equal("", Runtime.Run("GC", Runtime.Config(extra: $"\"cni.dev/valid-attachments\":{valid}")).Succeeded().StandardOutput);

        Eventually.True(() => CniHost.LinkNames(stale.Name) is ["lo"] && _host.Vms().Count == 3, "the stale attachment's devices and record are gone");
        Assert.Equal([_host.ContainerId("api"), _host.ContainerId("kept"), _host.ContainerId("other")], _host.Vms().Select(v => v.GetProperty("vmId").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains("eth0", CniHost.LinkNames(kept.Name));
        Assert.Equal(1, Runtime.Run("GC", Runtime.Config("1.0.0", $"\"cni.dev/valid-attachments\":{valid}")).Code);
    }

    [Fact]
    public void Status_is_ready_until_the_network_is_full_or_the_daemon_is_gone()
    {
        Assert.Equal(201, _host.Daemon.Send("PUT", "/v1/networks/tiny", """{"subnet":"10.220.0.0/30"}""").Status);
        var tiny = Runtime.Config(extra: "\"network\":\"tiny\"");
        Assert.Equal("", Runtime.Run("STATUS", tiny).Succeeded().StandardOutput);
        Assert.Equal(1, Runtime.Run("STATUS", Runtime.Config("1.0.0", "\"network\":\"tiny\"")).Code);

        var (_, path) = _host.NewNamespace();
        Runtime.Add(_host.ContainerId("only"), path, extra: "\"network\":\"tiny\"").Succeeded();
        Assert.Equal(50, Runtime.Run("STATUS", tiny).Code);
        Assert.Equal(101, Runtime.Add(_host.ContainerId("more"), _host.NewNamespace().Path, extra: "\"network\":\"tiny\"").Code);

        _host.Daemon.Stop();
        Assert.Equal(50, Runtime.Run("STATUS", Runtime.Config()).Code);
        Assert.Equal(11, Runtime.Add(_host.ContainerId("down"), path).Code);
    }

    [Fact]
    public void Version_lists_every_version_spoken_in_the_version_asked()
    {
        var answer = Runtime.Run("VERSION", """{"cniVersion":"0.4.0"}""").Succeeded().Json;

        Assert.Equal("0.4.0", answer.GetProperty("cniVersion").GetString());
        Assert.Equal(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"], answer.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }

    public void Dispose() => _host.Dispose();
}
