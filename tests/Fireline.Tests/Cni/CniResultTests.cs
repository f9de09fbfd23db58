using System.Text;
using System.Text.Json;
using Fireline.Attachments;
using Fireline.Cni;
using Fireline.Vms;

namespace Fireline.Tests.Cni;

/// <summary>The ADD result in each version's shape, and the daemon's answers read back.</summary>
public sealed class CniResultTests
{
    private static readonly AttachmentRecord Attachment = new()
    {
        Attachment = new Attachment { CniNetwork = "fcnet", ContainerId = "vm1", IfName = "veth0", Netns = "/var/run/netns/vm1", TapName = "tap0" },
        Network = "default",
        HostVeth = "fl0a640002",
        GuestMac = "06:00:0a:64:00:02",
        Ipv4 = new IpConfig("10.100.0.2", 16, "10.100.0.1"),
        Ipv6 = new IpConfig("fd00:64::a64:2", 64, "fd00:64::1"),
        Dns = ["10.100.0.1"],
    };

    [Theory]
    [InlineData("0.3.0", """{"cniVersion":"0.3.0","interfaces":[{"name":"fl0a640002"},{"name":"veth0","sandbox":"/var/run/netns/vm1"},{"name":"tap0","sandbox":"/var/run/netns/vm1"},{"name":"tap0","mac":"06:00:0a:64:00:02","sandbox":"vm1"}],"ips":[{"version":"4","address":"10.100.0.2/16","gateway":"10.100.0.1","interface":3},{"version":"6","address":"fd00:64::a64:2/64","gateway":"fd00:64::1","interface":1}],"routes":[{"dst":"0.0.0.0/0","gw":"10.100.0.1"},{"dst":"::/0","gw":"fd00:64::1"}],"dns":{"nameservers":["10.100.0.1"]}}""")]
    [InlineData("1.1.0", """{"cniVersion":"1.1.0","interfaces":[{"name":"fl0a640002"},{"name":"veth0","sandbox":"/var/run/netns/vm1"},{"name":"tap0","sandbox":"/var/run/netns/vm1"},{"name":"tap0","mac":"06:00:0a:64:00:02","sandbox":"vm1"}],"ips":[{"address":"10.100.0.2/16","gateway":"10.100.0.1","interface":3},{"address":"fd00:64::a64:2/64","gateway":"fd00:64::1","interface":1}],"routes":[{"dst":"0.0.0.0/0","gw":"10.100.0.1"},{"dst":"::/0","gw":"fd00:64::1"}],"dns":{"nameservers":["10.100.0.1"]}}""")]
    public void The_result_has_the_shape_of_the_version_asked(string version, string expected)
        => Assert.Equal(expected, Write(version, null));

    [Theory]
    [InlineData("0.3.1", true)]
    [InlineData("0.4.0", true)]
    [InlineData("1.0.0", false)]
    public void Ips_carry_their_family_before_1_0_0(string version, bool carried)
        => Assert.Equal(carried, JsonDocument.Parse(Write(version, null)).RootElement.GetProperty("ips")[0].TryGetProperty("version", out _));

    [Fact]
    public void A_previous_result_comes_first_and_fireline_indexes_move_past_it()
    {
        using var previous = JsonDocument.Parse("""{"interfaces":[{"name":"lo0"},{"name":"x"}],"ips":[{"address":"192.0.2.1/24","interface":1}],"dns":{"domain":"a"}}""");

        var result = JsonDocument.Parse(Write("1.0.0", previous.RootElement)).RootElement;

        Assert.Equal(["lo0", "x", "fl0a640002", "veth0", "tap0", "tap0"], result.GetProperty("interfaces").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal([1, 5, 3], result.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("interface").GetInt32()));
        Assert.Equal("10.100.0.1", result.GetProperty("dns").GetProperty("nameservers")[0].GetString());
    }

    [Fact]
    public void Errors_and_version_answers_are_the_specs_documents()
    {
        Assert.Equal("""{"cniVersion":"0.4.0","code":7,"msg":"m","details":"d"}""", Json(w => CniResult.WriteError(w, "0.4.0", new CniException(7, "m", "d"))));
        Assert.Equal("""{"cniVersion":"1.0.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}""", Json(w => CniResult.WriteVersion(w, "1.0.0")));
    }

    [Theory]
    [InlineData("invalid-argument", "invalid-input", "netns", 4)]
    [InlineData("invalid-argument", "invalid-input", "tapName", 7)]
    [InlineData("network-not-found", "not-found", "network", 7)]
    [InlineData("attachment-not-found", "not-found", "containerId", 3)]
    [InlineData("host-not-initialized", "unavailable", null, 11)]
    [InlineData("conflict", "conflict", "vmId", 100)]
    [InlineData("subnet-exhausted", "exhausted", null, 101)]
    [InlineData("kernel-error", "kernel", null, 102)]
    [InlineData("internal-error", "internal", null, 104)]
    public void Daemon_problems_become_cni_codes(string code, string kind, string? field, int cniCode)
        => Assert.Equal(cniCode, DaemonConnection.ToCni(new DaemonProblem(code, kind, field, "why"), 400).Code);

    [Fact]
    public void An_answer_cut_off_is_try_again_later()
    {
        var (status, body) = DaemonConnection.Parse(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}"), "GET /x");

        Assert.Equal((200, "{}"), (status, Encoding.ASCII.GetString(body)));
        Assert.Equal(11, Assert.Throws<CniException>(() => DaemonConnection.Parse(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-"), "GET /x")).Code);
    }

    private static string Write(string version, JsonElement? previous)
        => Json(w => CniResult.WriteAdd(w, CniVersionOf(version), Attachment, previous));

    private static CniVersion CniVersionOf(string version) => CniConfig.Parse(Encoding.UTF8.GetBytes($$"""{"cniVersion":"{{version}}"}""")).Version;

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
