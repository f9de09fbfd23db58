using System.Text.Json;
using Fireline.Host;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Daemon;

/// <summary>
/// The daemon's HTTP API over its Unix socket, driven with raw requests as any client would, and checked
/// against the kernel with iproute2 and nft: every route, and every kind of bad request answered with a 4xx
/// problem that changed nothing.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class DaemonApiTests : IDisposable
{
    private readonly EngineHost _env = new();
    private readonly DaemonProcess _daemon;

    public DaemonApiTests()
    {
        _env.Engine.Dispose();
        _daemon = new DaemonProcess(_env);
    }

    private string Ns => _env.Host.HostNamespaceName;

    [Fact]
    public void Every_route_answers_as_documented_and_does_what_it_says_in_the_kernel()
    {
        Assert.Equal("ok", _daemon.Send("GET", "/healthz").Json.GetProperty("status").GetString());
        Assert.False(_daemon.Send("GET", "/v1/host").Json.GetProperty("initialized").GetBoolean());
        var host = Ok(_daemon.Send("PUT", "/v1/host", "{}"));
        Assert.Equal(TestHost.UplinkName, host.GetProperty("uplink").GetString());
        Assert.NotNull(Ip.Link(Ns, "br-vms"));

        var id = _env.Host.VmId("api");
        var created = Ok(_daemon.Send("PUT", $"/v1/vms/{id}",
            """{"rateLimits":{"rx":{"bandwidth":{"size":1000,"refillTimeMs":100,"oneTimeBurst":5000}},"tx":{"ops":{"size":50,"refillTimeMs":1000}}}}"""));
        Assert.Equal("10.100.0.2", created.GetProperty("ipv4").GetProperty("address").GetString());
        var firecracker = created.GetProperty("firecracker");
        Assert.Equal(5000, firecracker.GetProperty("rx_rate_limiter").GetProperty("bandwidth").GetProperty("one_time_burst").GetInt64());
        Assert.Equal(1000, firecracker.GetProperty("tx_rate_limiter").GetProperty("ops").GetProperty("refill_time").GetInt64());
        Assert.NotNull(Ip.Link($"vm-{id}", "tap0"));
        Assert.Equal(created.GetRawText(), Ok(_daemon.Send("PUT", $"/v1/vms/{id}",
            """{"rateLimits":{"rx":{"bandwidth":{"size":1000,"refillTimeMs":100,"oneTimeBurst":5000}},"tx":{"ops":{"size":50,"refillTimeMs":1000}}}}""")).GetRawText());
        Assert.Equal(created.GetRawText(), Ok(_daemon.Send("GET", $"/v1/vms/{id}")).GetRawText());
        Assert.Equal(id, Ok(_daemon.Send("GET", "/v1/vms"))[0].GetProperty("vmId").GetString());

        var limited = Ok(_daemon.Send("PATCH", $"/v1/vms/{id}/rate-limits", """{"tx":{"bandwidth":{"size":125000,"refillTimeMs":100}}}"""));
        Assert.False(limited.GetProperty("firecracker").TryGetProperty("rx_rate_limiter", out _));
        Assert.Equal(125000, limited.GetProperty("firecracker").GetProperty("tx_rate_limiter").GetProperty("bandwidth").GetProperty("size").GetInt64());
        var cleared = Ok(_daemon.Send("PATCH", $"/v1/vms/{id}/rate-limits", "{}"));
        Assert.False(cleared.GetProperty("firecracker").TryGetProperty("tx_rate_limiter", out _));
        // The list read before the changes is not what is answered after them.
        var listed = _daemon.Send("GET", "/v1/vms");
        Assert.Equal("application/json", listed.ContentType);
        Assert.Equal(cleared.GetRawText(), Assert.Single(Ok(listed).EnumerateArray()).GetRawText());

        var forward = Ok(_daemon.Send("POST", $"/v1/vms/{id}/forwards", """{"hostPort":8080,"vmPort":80}"""));
        Assert.Equal("tcp", forward.GetProperty("protocol").GetString());
        Assert.Contains("8080", _env.Host.InHost("nft", "list", "map", "inet", "fireline", "port_forwards"), StringComparison.Ordinal);

        var put = _daemon.Send("PUT", "/v1/networks/tenant-a", """{"subnet":"10.200.0.0/24","defaultIngress":"deny","policies":[{"name":"web","direction":"ingress","protocol":"tcp","port":80,"action":"allow"}]}""");
        Assert.Equal(201, put.Status);
        Assert.Equal("br-tenant-a", put.Json.GetProperty("bridge").GetString());
        Assert.Contains(Ip.AddressesOf(Ns, "br-tenant-a"), a => a.GetProperty("local").GetString() == "10.200.0.1");
        Assert.Contains("chain in-tenant-a", _env.Host.InHost("nft", "list", "table", "inet", "fireline"), StringComparison.Ordinal);
        Assert.Equal(200, _daemon.Send("PUT", "/v1/networks/tenant-a", """{"name":"tenant-a","subnet":"10.200.0.0/24","defaultIngress":"deny","policies":[{"name":"web","direction":"ingress","protocol":"tcp","port":80,"action":"allow"}]}""").Status);
        Assert.Equal("deny", Ok(_daemon.Send("GET", "/v1/networks/tenant-a")).GetProperty("defaultIngress").GetString());
        Assert.Equal(["default", "tenant-a"], Ok(_daemon.Send("GET", "/v1/networks")).EnumerateArray().Select(n => n.GetProperty("name").GetString()));

        var plan = Ok(_daemon.Send("POST", "/v1/networks:apply", JsonSerializer.Serialize(new { document = "networks:\n  - name: tenant-b\n    subnet: 10.201.0.0/24\n", dryRun = true })));
        Assert.True(plan.GetProperty("dryRun").GetBoolean());
        Assert.Null(Ip.Link(Ns, "br-tenant-b"));
        Ok(_daemon.Send("POST", "/v1/networks:apply", JsonSerializer.Serialize(new { document = "networks:\n  - name: tenant-b\n    subnet: 10.201.0.0/24\n" })));
        Assert.NotNull(Ip.Link(Ns, "br-tenant-b"));
        Assert.Equal("tenant-b", Ok(_daemon.Send("DELETE", "/v1/networks/tenant-b")).GetProperty("name").GetString());
        Eventually.True(() => Ip.Link(Ns, "br-tenant-b") is null, "the deleted network's bridge is gone");
        Assert.NotNull(Ip.Link(Ns, "br-tenant-a"));

        Assert.Empty(Ok(_daemon.Send("POST", "/v1/reconcile")).GetProperty("actions").EnumerateArray());

        Assert.True(Ok(_daemon.Send("DELETE", $"/v1/vms/{id}")).GetProperty("deleted").GetBoolean());
        Assert.False(Ip.NamespaceExists($"vm-{id}"));
        Assert.False(Ok(_daemon.Send("DELETE", $"/v1/vms/{id}")).GetProperty("deleted").GetBoolean());
        Assert.Empty(Ok(_daemon.Send("GET", "/v1/vms")).EnumerateArray());
    }

    [Fact]
    public void Bad_bodies_bad_ids_and_unknown_routes_get_4xx_problem_json_with_a_code_and_change_nothing()
    {
        Ok(_daemon.Send("PUT", "/v1/host", ""));
        var id = _env.Host.VmId("keep");
        var kept = Ok(_daemon.Send("PUT", $"/v1/vms/{id}", """{"rateLimits":{"rx":{"bandwidth":{"size":1000,"refillTimeMs":100}}}}""")).GetRawText();
        var fresh = _env.Host.VmId("new");
        var huge = "{\"network\":\"" + new string('x', 70_000) + "\"}";
        var before = Snapshot();

        (string Method, string Path, string? Body, int Status, string Code, string? Field)[] cases =
        [
            ("PUT", $"/v1/vms/{fresh}", """{"ipv6":"yes"}""", 400, "invalid-argument", "ipv6"),
            ("PUT", $"/v1/vms/{fresh}", """{"network":5}""", 400, "invalid-argument", "network"),
            ("PUT", $"/v1/vms/{fresh}", """{"rateLimits":{"rx":{"bandwidth":{"size":"big","refillTimeMs":100}}}}""", 400, "invalid-argument", "rateLimits.rx.bandwidth.size"),
            ("PUT", $"/v1/vms/{fresh}", """{"rateLimits":{"rx":{"bandwidth":{"size":1e40,"refillTimeMs":100}}}}""", 400, "invalid-argument", "rateLimits.rx.bandwidth.size"),
            ("PUT", $"/v1/vms/{fresh}", """{"rateLimit":{}}""", 400, "invalid-argument", "rateLimit"),
            ("PUT", $"/v1/vms/{fresh}", """{"rateLimits":{"rx":{"bandwith":{"size":1,"refillTimeMs":1}}}}""", 400, "invalid-argument", "rateLimits.rx.bandwith"),
            ("PUT", $"/v1/vms/{fresh}", """{"rateLimits":{"tx":{"ops":{"size":10}}}}""", 400, "invalid-argument", "rateLimits.tx.ops.refillTimeMs"),
            ("PUT", $"/v1/vms/{fresh}", """{"rateLimits":{"tx":{"ops":{"size":10,"refillTimeMs":0}}}}""", 400, "invalid-argument", "tx.ops.refillTimeMs"),
            ("PUT", $"/v1/vms/{fresh}", """{"network":"default","network":"other"}""", 400, "invalid-argument", null),
            ("PUT", $"/v1/vms/{fresh}", """{"network":""", 400, "invalid-argument", "body"),
            ("PUT", $"/v1/vms/{fresh}", "not json", 400, "invalid-argument", "body"),
            ("PUT", $"/v1/vms/{fresh}", "[1,2]", 400, "invalid-argument", "body"),
            ("PUT", $"/v1/vms/{fresh}", "null", 400, "invalid-argument", "body"),
            ("PUT", $"/v1/vms/{fresh}", "{} {}", 400, "invalid-argument", "body"),
            ("PUT", $"/v1/vms/{fresh}", huge, 413, "body-too-large", "body"),
            ("PUT", $"/v1/vms/{fresh}", """{"network":"nope"}""", 404, "network-not-found", "network"),
            ("PUT", $"/v1/vms/{id}", """{"ipv6":false,"tapOwner":1000}""", 409, "conflict", "vmId"),
            ("PUT", "/v1/vms/-bad", "{}", 400, "invalid-vm-id", "vmId"),
            ("PUT", "/v1/vms/a%2Fb", "{}", 400, "invalid-vm-id", "vmId"),
            ("PUT", $"/v1/vms/{new string('a', 65)}", "{}", 400, "invalid-vm-id", "vmId"),
            ("GET", "/v1/vms/bad%20id", null, 400, "invalid-vm-id", "vmId"),
            ("GET", $"/v1/vms/{fresh}", null, 404, "vm-not-found", "vmId"),
            ("DELETE", "/v1/vms/.hidden", null, 400, "invalid-vm-id", "vmId"),
            ("PATCH", $"/v1/vms/{id}/rate-limits", "", 400, "invalid-argument", "body"),
            ("PATCH", $"/v1/vms/{id}/rate-limits", """{"rx":{"bandwidth":{"size":-1,"refillTimeMs":100}}}""", 400, "invalid-argument", "rx.bandwidth.size"),
            ("PATCH", $"/v1/vms/{id}/rate-limits", """{"rx":[]}""", 400, "invalid-argument", "rx"),
            ("PATCH", $"/v1/vms/{fresh}/rate-limits", "{}", 404, "vm-not-found", "vmId"),
            ("POST", $"/v1/vms/{id}/forwards", """{"hostPort":8080}""", 400, "invalid-argument", "vmPort"),
            ("POST", $"/v1/vms/{id}/forwards", """{"hostPort":70000,"vmPort":80}""", 400, "invalid-argument", "hostPort"),
            ("POST", $"/v1/vms/{id}/forwards", """{"hostPort":8080,"vmPort":80,"protocol":"sctp"}""", 400, "invalid-argument", "protocol"),
            ("PUT", "/v1/networks/t1", """{"subnet":"10.300.0.0/24"}""", 400, "invalid-argument", "subnet"),
            ("PUT", "/v1/networks/t1", """{"subnet":"10.210.0.0/24","nat":"maybe"}""", 400, "invalid-argument", "nat"),
            ("PUT", "/v1/networks/t1", """{"subnet":"10.210.0.0/24","colour":"red"}""", 400, "invalid-argument", "colour"),
            ("PUT", "/v1/networks/t1", """{"subnet":"10.210.0.0/24","policies":"all"}""", 400, "invalid-argument", "policies"),
            ("PUT", "/v1/networks/t1", """{"name":"t2","subnet":"10.210.0.0/24"}""", 400, "invalid-argument", "name"),
            ("PUT", "/v1/networks/t1", """["subnet"]""", 400, "invalid-argument", "body"),
            ("PUT", "/v1/networks/t1", """{"subnet":"10.100.0.0/24"}""", 409, "conflict", "subnet"),
            ("PUT", "/v1/networks/t1", """{"subnet":"10.210.0.0/24","bridge":"uplink0"}""", 409, "bridge-in-use", "bridge"),
            ("PUT", "/v1/networks/-x", """{"subnet":"10.210.0.0/24"}""", 400, "invalid-argument", "name"),
            ("PUT", "/v1/networks/t1", huge, 413, "body-too-large", "body"),
            ("GET", "/v1/networks/nope", null, 404, "network-not-found", "network"),
            ("DELETE", "/v1/networks/default", null, 409, "conflict", "network"),
            ("POST", "/v1/networks:apply", """{"dryRun":true}""", 400, "invalid-argument", "document"),
            ("POST", "/v1/networks:apply", """{"document":"networks: [ {name: x"}""", 400, "invalid-argument", "file"),
            ("POST", "/v1/networks:apply", """{"document":"networks: []","prune":true}""", 409, "conflict", "network"),
            ("PUT", "/v1/host", """{"subnet":"10.0.0.0/33"}""", 400, "invalid-argument", null),
            ("PUT", "/v1/host", """{"nat":"no"}""", 400, "invalid-argument", "nat"),
            ("GET", "/v1/nothing", null, 404, "route-not-found", null),
            ("POST", "/v1/vms", "{}", 405, "method-not-allowed", null),
            ("GET", $"/v1/vms/{fresh}/stats", null, 404, "vm-not-found", "vmId"),
            ("GET", "/v1/doctor?vm=-bad", null, 400, "invalid-vm-id", "vmId"),
            ("POST", "/v1/host/tune", """{"colour":1}""", 400, "invalid-argument", "colour"),
            ("POST", "/v1/host/tune", """{"apply":"yes"}""", 400, "invalid-argument", "apply"),
            ("PUT", $"/v1/vms/{id}/policy", """{"policies":[{"name":"p","direction":"ingress","protocol":"tcp","port":70000,"action":"deny"}]}""", 400, "invalid-argument", "policies[0].port"),
            ("PUT", $"/v1/vms/{id}/policy", """{"policies":[{"name":"p","direction":"ingress","action":"deny","colour":"red"}]}""", 400, "invalid-argument", "policies[0].colour"),
            ("PUT", $"/v1/vms/{id}/policy", """{"policies":[],"rules":[]}""", 400, "invalid-argument", "rules"),
            ("PUT", $"/v1/vms/{id}/policy", "{}", 400, "invalid-argument", "policies"),
            ("PUT", $"/v1/vms/{id}/policy", "", 400, "invalid-argument", "body"),
            ("PUT", $"/v1/vms/{fresh}/policy", """{"policies":[{"name":"p","direction":"ingress","action":"deny"}]}""", 404, "vm-not-found", "vmId"),
            ("DELETE", $"/v1/vms/{fresh}/policy", null, 404, "vm-not-found", "vmId"),
            ("PUT", $"/v1/vms/{fresh}", """{"policies":[{"name":"p","direction":"up","action":"deny"}]}""", 400, "invalid-argument", "policies[0].direction"),
        ];

        foreach (var (method, path, body, status, code, field) in cases)
        {
            var answer = _daemon.Send(method, path, body);
            var what = $"{method} {path} {body?[..Math.Min(body.Length, 80)]}: {answer.Status} {answer.Body[..Math.Min(answer.Body.Length, 400)]}";
            Assert.True(answer.Status == status, $"{what}: expected {status}");
            Assert.True(answer.ContentType == "application/problem+json", what);
            var problem = answer.Json;
            Assert.True(problem.GetProperty("code").GetString() == code, $"{what}: expected code {code}");
            Assert.Equal(status, problem.GetProperty("status").GetInt32());
            Assert.Equal($"urn:fireline:error:{code}", problem.GetProperty("type").GetString());
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
            Assert.DoesNotContain("   at ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            if (field is not null)
            {
                Assert.True(problem.TryGetProperty("field", out var named) && named.GetString() == field, $"{what}: expected field {field}");
            }
        }

        Assert.Equal(before, Snapshot());
        Assert.Equal(kept, Ok(_daemon.Send("GET", $"/v1/vms/{id}")).GetRawText());
    }

    [Fact]
    public void A_vms_own_rules_are_set_shown_and_cleared_over_the_api_and_the_cli_through_it()
    {
        Ok(_daemon.Send("PUT", "/v1/host", "{}"));
        var id = _env.Host.VmId("pol");
        var created = Ok(_daemon.Send("PUT", $"/v1/vms/{id}", """{"policies":[{"name":"web","direction":"ingress","protocol":"tcp","port":"80-81","action":"deny"}]}"""));
        Assert.Equal(80, created.GetProperty("policies")[0].GetProperty("portFrom").GetInt32());
        Assert.Contains("tcp dport 80-81 drop", _env.Host.InHost("nft", "list", "chain", "inet", "fireline", $"vmin-{id}"), StringComparison.Ordinal);

        var set = Ok(_daemon.Send("PUT", $"/v1/vms/{id}/policy", """{"policies":[{"name":"dns","direction":"egress","protocol":"udp","port":53,"action":"deny"}]}"""));
        Assert.Equal("dns", set.GetProperty("policies")[0].GetProperty("name").GetString());
        Assert.Contains("udp dport 53 drop", _env.Host.InHost("nft", "list", "chain", "inet", "fireline", $"vmout-{id}"), StringComparison.Ordinal);

        var file = Path.Combine(Path.GetTempPath(), $"{id}-rules.yaml");
        File.WriteAllText(file, "policies:\n  - {name: ssh, direction: ingress, protocol: tcp, port: 22, source: 203.0.113.0/24, action: allow}\n");
        try
        {
            var cli = _daemon.Cli("-o", "json", "vm", "policy", id, "-f", file);
            Assert.True(cli.ExitCode == 0, cli.StandardError);
            Assert.Contains("ip saddr 203.0.113.0/24 tcp dport 22 accept", _env.Host.InHost("nft", "list", "chain", "inet", "fireline", $"vmin-{id}"), StringComparison.Ordinal);
            Assert.Equal("ssh", Ok(_daemon.Send("GET", $"/v1/vms/{id}")).GetProperty("policies")[0].GetProperty("name").GetString());
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal(0, Ok(_daemon.Send("DELETE", $"/v1/vms/{id}/policy")).GetProperty("policies").GetArrayLength());
        Assert.DoesNotContain($"vmin-{id}", _env.Host.InHost("nft", "list", "ruleset"), StringComparison.Ordinal);
        Assert.Equal(0, _daemon.Cli("vm", "policy", id, "--clear").ExitCode);
    }

    [Fact]
    public void Tune_writes_no_file_a_client_names_and_the_cli_writes_the_fixed_one_itself()
    {
        var victim = Path.Combine(_daemon.SocketDirectory, "victim");
        File.WriteAllText(victim, "untouched\n");
        var created = Path.Combine(_daemon.SocketDirectory, "made.conf");
        foreach (var body in new[] { $$"""{"writeFile":"{{victim}}"}""", $$"""{"apply":true,"writeFile":"{{created}}"}""" })
        {
            var answer = _daemon.Send("POST", "/v1/host/tune", body);
            Assert.True(answer.Status == 400, answer.Body);
            Assert.Equal("writeFile", answer.Json.GetProperty("field").GetString());
            Assert.Contains("fireline host tune --write", answer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("untouched\n", File.ReadAllText(victim));
        Assert.False(File.Exists(created));

        // The CLI asks the daemon for the diff and writes the file from its own process (here into a private /etc/sysctl.d).
        var written = PrivateSysctlDirectory.Run("true", [TestSupport.Cli.Path, "--socket", _daemon.Socket, "-o", "json", "host", "tune", "--write"]);
        Assert.True(written.ExitCode == 0, written.StandardError);
        Assert.Equal("/etc/sysctl.d/90-fireline.conf", written.Json.GetProperty("file").GetString());
        Assert.Equal("644", written.Mode);
        Assert.Contains("net.core.somaxconn = ", written.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_errors_keep_their_codes()
    {
        Ok(_daemon.Send("PUT", "/v1/host", "{}"));
        Assert.Equal(201, _daemon.Send("PUT", "/v1/networks/tiny", """{"subnet":"10.220.0.0/30"}""").Status);
        Ok(_daemon.Send("PUT", $"/v1/vms/{_env.Host.VmId("t1")}", """{"network":"tiny"}"""));

        var full = _daemon.Send("PUT", $"/v1/vms/{_env.Host.VmId("t2")}", """{"network":"tiny"}""");

        Assert.Equal(409, full.Status);
        Assert.Equal("subnet-exhausted", full.Json.GetProperty("code").GetString());
        Assert.Equal("exhausted", full.Json.GetProperty("kind").GetString());
        Assert.False(Ip.NamespaceExists($"vm-{_env.Host.VmId("t2")}"));
    }

    [Fact]
    public void Before_host_init_a_create_says_what_to_do()
    {
        var answer = _daemon.Send("PUT", $"/v1/vms/{_env.Host.VmId("early")}");

        Assert.Equal(503, answer.Status);
        Assert.Equal("host-not-initialized", answer.Json.GetProperty("code").GetString());
        Assert.Contains("fireline host init", answer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_openapi_document_describes_every_route()
    {
        var document = Ok(_daemon.Send("GET", "/openapi.json"));

        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/v1/vms", "get"), ("/v1/vms/{id}", "put"), ("/v1/vms/{id}", "get"), ("/v1/vms/{id}", "delete"),
            ("/v1/vms/{id}/rate-limits", "patch"), ("/v1/vms/{id}/forwards", "post"), ("/v1/vms/{id}/stats", "get"),
            ("/v1/vms/{id}/policy", "put"), ("/v1/vms/{id}/policy", "delete"),
            ("/v1/networks", "get"), ("/v1/networks:apply", "post"), ("/v1/networks/{name}", "put"), ("/v1/networks/{name}", "get"),
            ("/v1/networks/{name}", "delete"), ("/v1/host", "get"), ("/v1/host", "put"), ("/v1/reconcile", "post"), ("/v1/doctor", "get"),
            ("/healthz", "get"), ("/metrics", "get"), ("/openapi.json", "get"), ("/v1/stats", "get"), ("/v1/host/tune", "post"),
            ("/v1/attachments/{containerId}/{ifName}", "put"), ("/v1/attachments/{containerId}/{ifName}", "get"),
            ("/v1/attachments/{containerId}/{ifName}", "delete"), ("/v1/attachments:gc", "post"),
            ("/v1/cluster", "get"),
        })
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path} is not described");
        }

        // Every route the document names is served (no 404 route-not-found for a described path).
        foreach (var path in paths.EnumerateObject().Select(p => p.Name.Replace("{id}", "x1", StringComparison.Ordinal).Replace("{name}", "n1", StringComparison.Ordinal)))
        {
            var answer = _daemon.Send("GET", path);
            Assert.True(answer.Status != 404 || answer.Json.GetProperty("code").GetString() != "route-not-found", $"{path} is described but not served");
        }
    }

    [Fact]
    public void Thirty_two_concurrent_clients_create_vms_without_an_error_and_every_address_is_unique()
    {
        Ok(_daemon.Send("PUT", "/v1/host", "{}"));
        var ids = Enumerable.Range(0, 64).Select(i => _env.Host.VmId($"c{i}")).ToList();
        var answers = new DaemonProcess.Answer[ids.Count];

        Parallel.For(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, i => answers[i] = _daemon.Send("PUT", $"/v1/vms/{ids[i]}", "{}"));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal(ids.Count, answers.Select(a => a.Json.GetProperty("ipv4").GetProperty("address").GetString()).Distinct().Count());
        _daemon.Dispose();
        _env.Reopen();
        KernelState.AssertConsistent(_env, _env.Engine.ListVms());
    }

    private static JsonElement Ok(DaemonProcess.Answer answer)
    {
        Assert.True(answer.Status is 200 or 201, $"HTTP {answer.Status}: {answer.Body}");
        Assert.Equal("application/json", answer.ContentType);
        return answer.Json;
    }

    /// <summary>What a refused request must not change: records, namespaces, host links, firewall.</summary>
    private string Snapshot()
        => _daemon.Send("GET", "/v1/vms").Body + _daemon.Send("GET", "/v1/networks").Body +
           string.Join(",", Fireline.Linux.Namespaces.NetworkNamespace.List().Where(n => n.Contains(_env.Host.Prefix, StringComparison.Ordinal)).Order()) +
           Ip.LinkState(Ns) + _env.Host.InHost("nft", "list", "ruleset");

    public void Dispose()
    {
        _daemon.Dispose();
        _env.Dispose();
    }
}
