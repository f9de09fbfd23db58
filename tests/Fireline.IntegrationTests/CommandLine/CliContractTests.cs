using System.Text.Json;
using Fireline.State;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.CommandLine;

/// <summary>The CLI as users drive it: commands, JSON field names, exit codes 0/1/2, errors on stderr.</summary>
[Trait("Category", Categories.Integration)]
public sealed class CliContractTests : IDisposable
{
    private readonly EngineHost _env = new();

    public CliContractTests() => _env.Engine.Dispose();

    private Tool.Result Fireline(params string[] arguments) => TestSupport.Cli.Run([.. _env.CliScope, .. arguments]);

    [Fact]
    public void Host_init_then_vm_create_show_list_delete_speak_the_documented_json()
    {
        Assert.Equal(0, Fireline("host", "init").ExitCode);
        var id = _env.Host.VmId("cli");

        var created = Fireline("vm", "create", id, "--rx-bandwidth", "10M", "--tx-bandwidth", "1MiB/s");

        Assert.Equal(0, created.ExitCode);
        var record = KernelState.Json(created.StandardOutput); // not a terminal: JSON by default
        foreach (var field in new[] { "vmId", "network", "namespace", "netnsPath", "tapDevice", "hostVeth", "guestMac", "ipv4", "ipv6", "bootArgs", "firecracker", "jailerArgs", "state" })
        {
            Assert.True(record.TryGetProperty(field, out _), $"missing field {field}");
        }

        Assert.Equal(JsonValueKind.Null, record.GetProperty("ipv6").ValueKind);
        var firecracker = record.GetProperty("firecracker");
        Assert.Equal("eth0", firecracker.GetProperty("iface_id").GetString());
        Assert.Equal("tap0", firecracker.GetProperty("host_dev_name").GetString());
        Assert.Equal(record.GetProperty("guestMac").GetString(), firecracker.GetProperty("guest_mac").GetString());
        Assert.Equal(1_000_000, firecracker.GetProperty("rx_rate_limiter").GetProperty("bandwidth").GetProperty("size").GetInt64());
        Assert.Equal(100, firecracker.GetProperty("rx_rate_limiter").GetProperty("bandwidth").GetProperty("refill_time").GetInt64());
        Assert.Equal(104_858, firecracker.GetProperty("tx_rate_limiter").GetProperty("bandwidth").GetProperty("size").GetInt64());
        Assert.Equal("10.100.0.2", record.GetProperty("ipv4").GetProperty("address").GetString());

        Assert.Equal(created.StandardOutput, Fireline("vm", "show", id).StandardOutput);
        Assert.Equal(id, KernelState.Json(Fireline("vm", "list").StandardOutput)[0].GetProperty("vmId").GetString());
        Assert.Contains("10.100.0.2/16", Fireline("-o", "table", "vm", "list").StandardOutput, StringComparison.Ordinal);

        var deleted = Fireline("vm", "delete", id);
        Assert.Equal(0, deleted.ExitCode);
        Assert.True(KernelState.Json(deleted.StandardOutput).GetProperty("deleted").GetBoolean());
        Assert.Equal(0, Fireline("vm", "delete", id).ExitCode);
    }

    [Fact]
    public void A_vms_own_rules_come_from_a_file_show_in_its_record_and_a_bad_file_exits_2_naming_the_field()
    {
        Assert.Equal(0, Fireline("host", "init").ExitCode);
        var id = _env.Host.VmId("rules");
        var file = Path.Combine(Path.GetTempPath(), $"{id}.yaml");
        try
        {
            File.WriteAllText(file, "policies:\n  - {name: web, direction: ingress, protocol: tcp, port: 80, action: allow}\n");
            var created = Fireline("vm", "create", id, "--policy-file", file);
            Assert.True(created.ExitCode == 0, created.StandardError);
            Assert.Equal("web", KernelState.Json(created.StandardOutput).GetProperty("policies")[0].GetProperty("name").GetString());
            Assert.Contains("tcp dport 80 accept", _env.Host.InHost("nft", "list", "chain", "inet", "fireline", $"vmin-{id}"), StringComparison.Ordinal);
            Assert.Contains("POLICY", Fireline("-o", "table", "vm", "show", id).StandardOutput, StringComparison.Ordinal);

            File.WriteAllText(file, "policies:\n  - {name: web, direction: ingress, protocol: tcp, port: 99999, action: allow}\n");
            var ruleset = _env.Host.InHost("nft", "list", "ruleset");
            var refused = Fireline("-o", "json", "vm", "policy", id, "-f", file);
            Assert.Equal(2, refused.ExitCode);
            var error = KernelState.Json(refused.StandardError).GetProperty("error");
            Assert.Equal(("invalid-argument", "policies[0].port"), (error.GetProperty("code").GetString(), error.GetProperty("field").GetString()));
            Assert.Contains("(line 2)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(ruleset, _env.Host.InHost("nft", "list", "ruleset"));
            Assert.Equal(2, Fireline("vm", "policy", id).ExitCode); // neither -f nor --clear

            Assert.Equal(0, Fireline("vm", "policy", id, "--clear").ExitCode);
            Assert.Equal(0, KernelState.Json(Fireline("vm", "show", id).StandardOutput).GetProperty("policies").GetArrayLength());
            Assert.DoesNotContain($"vmin-{id}", _env.Host.InHost("nft", "list", "ruleset"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("invalid-vm-id", "vm", "create", "-bad")]
    [InlineData("invalid-vm-id", "vm", "create", "a/b")]
    [InlineData("invalid-argument", "vm", "create", "ok", "--rx-bandwidth", "fast")]
    [InlineData("invalid-argument", "vm", "create", "ok", "--rx-bandwidth", "-5")]
    [InlineData("invalid-argument", "host", "init", "--subnet", "10.0.0.0/33")]
    [InlineData("invalid-argument", "vm", "frobnicate")]
    public void Bad_input_exits_2_with_a_json_error_naming_the_problem_and_changes_nothing(string code, params string[] arguments)
    {
        var namespaces = OwnNamespaces();

        var result = Fireline(["-o", "json", .. arguments]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        var error = KernelState.Json(result.StandardError).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(namespaces, OwnNamespaces());
        Assert.Empty(_env.Host.InHost("nft", "list", "ruleset"));
    }

    /// <summary>This test's namespaces only: other tests run in parallel on the same machine.</summary>
    private List<string> OwnNamespaces() => [.. global::Fireline.Linux.Namespaces.NetworkNamespace.List().Where(n => n.Contains(_env.Host.Prefix, StringComparison.Ordinal))];

    [Fact]
    public void Operation_errors_exit_1()
    {
        Assert.Equal(0, Fireline("host", "init").ExitCode);

        var missing = Fireline("-o", "json", "vm", "show", "nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("vm-not-found", KernelState.Json(missing.StandardError).GetProperty("error").GetProperty("code").GetString());

        var network = Fireline("-o", "json", "vm", "create", _env.Host.VmId("x"), "--network", "nope");
        Assert.Equal(1, network.ExitCode);
        Assert.Equal("network-not-found", KernelState.Json(network.StandardError).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void Creating_before_host_init_says_what_to_do()
    {
        var result = Fireline("-o", "table", "vm", "create", _env.Host.VmId("early"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("fireline host init", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_process_on_a_held_state_directory_gets_a_clear_error()
    {
        using var held = StateDirectoryLock.Acquire(_env.StateDirectory, "daemon", TimeSpan.Zero);

        var result = Fireline("-o", "json", "vm", "list");

        Assert.Equal(1, result.ExitCode);
        var error = KernelState.Json(result.StandardError).GetProperty("error");
        Assert.Equal("state-locked", error.GetProperty("code").GetString());
        Assert.Contains("--socket", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_host_namespace_is_bad_input()
    {
        var result = TestSupport.Cli.Run(["--state-dir", _env.StateDirectory, "--host-netns", "no-such-namespace-x", "-o", "json", "host", "status"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--host-netns", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_and_exits_0()
    {
        var result = TestSupport.Cli.Run(["--version"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.StandardOutput);
    }

    public void Dispose() => _env.Dispose();
}
