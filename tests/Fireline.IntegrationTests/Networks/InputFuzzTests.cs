using System.Text.Json;
using Fireline.Errors;
using Fireline.Host;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Networks;

/// <summary>
/// Hostile strings (<see cref="HostileInput"/>) in every string field of a networks file and of the API's bodies,
/// through the engine and through a daemon process: each is refused with an error naming its field, or taken as
/// plain data (it reads back as it was sent); nothing refused is stored; and the test host's nftables ruleset
/// outside Fireline's own tables stays byte for byte the same. Every failure is collected, so one run shows them all.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class InputFuzzTests : IDisposable
{
    private readonly EngineHost _env = new();
    private readonly List<string> _failures = [];

    [Fact]
    public void Every_field_of_a_networks_file_refuses_hostile_strings_by_name_or_keeps_them_as_data()
    {
        _env.Engine.InitHost(new HostInitRequest());
        HostileInput.AddForeignTables(_env.Host);
        var ruleset = HostileInput.ForeignRuleset(_env.Host);
        var stored = Networks();

        foreach (var (field, _) in HostileInput.NetworkFields)
        {
            foreach (var value in HostileInput.Strings)
            {
                Apply(field, HostileInput.Quoted(value), value, stored);
            }

            foreach (var trick in HostileInput.YamlTricks)
            {
                Apply(field, trick, null, stored);
            }
        }

        foreach (var document in new[] { HostileInput.Yaml() + "    <<: {subnet: 10.1.0.0/16}\n", HostileInput.Yaml() + "    ? [a]\n    : b\n" })
        {
            var error = Assert.Throws<FirelineException>(() => _env.Engine.ApplyNetworks(document, dryRun: false, prune: false));
            Assert.StartsWith("networks[0]", error.Field, StringComparison.Ordinal);
        }

        Assert.True(_failures.Count == 0, $"{_failures.Count} failures:\n" + string.Join("\n", _failures));
        Assert.Equal(stored, Networks());
        Assert.Equal(ruleset, HostileInput.ForeignRuleset(_env.Host));
    }

    [Fact]
    public void Every_string_field_of_the_apis_bodies_refuses_hostile_strings_by_name_or_keeps_them_as_data()
    {
        _env.Engine.Dispose();
        using var daemon = new DaemonProcess(_env);
        Ok(daemon.Send("PUT", "/v1/host", "{}"));
        HostileInput.AddForeignTables(_env.Host);
        var ruleset = HostileInput.ForeignRuleset(_env.Host);
        var state = State(daemon);

        foreach (var (field, _) in HostileInput.NetworkFields)
        {
            foreach (var value in HostileInput.Strings)
            {
                Put(daemon, field, HostileInput.Quoted(value), value, state);
                ApplyThroughApi(daemon, field, HostileInput.Quoted(value), value, state);
            }

            foreach (var trick in HostileInput.JsonTricks)
            {
                // A JSON number or true/false is read as a YAML value is: as its text.
                Put(daemon, field, trick, trick is "true" || char.IsAsciiDigit(trick[0]) || trick[0] == '-' ? trick : null, state);
            }

            foreach (var trick in HostileInput.YamlTricks)
            {
                ApplyThroughApi(daemon, field, trick, null, state);
            }
        }

        foreach (var value in HostileInput.Strings)
        {
            var json = HostileInput.Quoted(value);
            Expect(daemon, "PUT", "/v1/networks/" + Uri.EscapeDataString(value), HostileInput.Json(), "name", value, state, created: value,
                readBack: n => n.GetProperty("name").GetString() == value);
            foreach (var field in new[] { "uplink", "bridge", "subnet", "ipv6Prefix" })
            {
                Expect(daemon, "PUT", "/v1/host", $"{{\"{field}\":{json}}}", field, value, state);
            }

            var vm = _env.Host.VmId(value);
            Expect(daemon, "PUT", "/v1/vms/" + Uri.EscapeDataString(vm), "{}", "vmId", value, state, vm: vm);
            Expect(daemon, "PUT", "/v1/vms/" + _env.Host.VmId("fuzz"), $"{{\"network\":{json}}}", "network", value, state, vm: _env.Host.VmId("fuzz"));
            Expect(daemon, "PUT", "/v1/vms/" + _env.Host.VmId("fuzz"), $"{{\"sriov\":{json}}}", "sriov", value, state);
            Expect(daemon, "POST", $"/v1/vms/{_env.Host.VmId("fuzz")}/forwards", $"{{\"hostPort\":8080,\"vmPort\":80,\"protocol\":{json}}}", "protocol", value, state);
        }

        Assert.True(_failures.Count == 0, $"{_failures.Count} failures:\n" + string.Join("\n", _failures));
        Assert.Equal(state, State(daemon));
        Assert.Equal(ruleset, HostileInput.ForeignRuleset(_env.Host));
    }

    public void Dispose() => _env.Dispose();

    /// <summary><c>network apply</c> in-process of the base network with one field's value replaced.</summary>
    private void Apply(string field, string yamlValue, string? value, string stored)
    {
        try
        {
            _env.Engine.ApplyNetworks(HostileInput.Yaml(field, yamlValue), dryRun: false, prune: false);
        }
        catch (FirelineException error) when (error.Kind is ErrorKind.InvalidInput or ErrorKind.Conflict or ErrorKind.Unavailable)
        {
            Check(error.Field == $"networks[0].{field}", $"apply {field} = {Shown(yamlValue)}: refused naming {error.Field}: {error.Message}");
            Check(Networks() == stored, $"apply {field} = {Shown(yamlValue)}: refused, but the networks changed");
            return;
        }

        // Taken: the value must read back as it was written, and the network goes again for the next case.
        var name = field == "name" ? value! : "fz";
        var network = _env.Engine.GetNetwork(name);
        Check(field switch
        {
            "name" => network.Name == value,
            "bridge" => network.Bridge == value,
            "policies[0].name" => network.Policies[0].Name == value,
            _ => true,
        }, $"apply {field} = {Shown(yamlValue)}: taken, but it reads back differently");
        _env.Engine.DeleteNetwork(name);
    }

    /// <summary><c>PUT /v1/networks/fz</c> of the base network with one field's value replaced (JSON text), which reads back as <paramref name="value"/>.</summary>
    private void Put(DaemonProcess daemon, string field, string json, string? value, string state)
        => Expect(daemon, "PUT", "/v1/networks/fz", HostileInput.Json(field, json), field, value ?? json, state, created: "fz",
            readBack: field switch
            {
                "bridge" => n => n.GetProperty("bridge").GetString() == value,
                "policies[0].name" => n => n.GetProperty("policies")[0].GetProperty("name").GetString() == value,
                _ => null,
            });

    /// <summary><c>POST /v1/networks:apply</c> of the base networks file with one field's value replaced (YAML text).</summary>
    private void ApplyThroughApi(DaemonProcess daemon, string field, string yamlValue, string? value, string state)
        => Expect(daemon, "POST", "/v1/networks:apply", JsonSerializer.Serialize(new { document = HostileInput.Yaml(field, yamlValue) }),
            $"networks[0].{field}", value ?? yamlValue, state, created: field == "name" ? value : "fz");

    /// <summary>
    /// One request: refused with a problem naming <paramref name="field"/> or a path inside it (the state unchanged),
    /// or taken; a taken request's network or VM is read back and removed. Refusals before the API (the HTTP server's
    /// own: a NUL in the path, a URL too long) and route-level ones name no field and are refusals all the same.
    /// </summary>
    private void Expect(DaemonProcess daemon, string method, string path, string body, string field, string value, string state,
        string? created = null, string? vm = null, Func<JsonElement, bool>? readBack = null)
    {
        var what = $"{method} {Shown(path)} {Shown(body)}";
        var answer = daemon.Send(method, path, body);
        if (answer.Status >= 400)
        {
            var problem = answer.ContentType == "application/problem+json" ? answer.Json : default;
            var named = problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("field", out var f) ? f.GetString() : null;
            var code = problem.ValueKind == JsonValueKind.Object ? problem.GetProperty("code").GetString() : null;
            Check(answer.Status < 500 || code == "unsupported", $"{what}: {answer.Status} {answer.Body}");
            Check(named == field || named?.StartsWith(field + "[", StringComparison.Ordinal) == true || code is "route-not-found" or "method-not-allowed" ||
                (code is null && answer.Status is 400 or 414), $"{what}: refused naming {named ?? "nothing"} ({code}): {answer.Body}");
            Check(State(daemon) == state, $"{what}: refused, but the state changed");
            return;
        }

        if (vm is not null)
        {
            Check(daemon.Send("GET", "/v1/vms/" + Uri.EscapeDataString(vm)).Json.GetProperty("vmId").GetString() == vm, $"{what}: taken, VM reads back differently");
            Ok(daemon.Send("DELETE", "/v1/vms/" + Uri.EscapeDataString(vm)));
        }
        else if (created is not null)
        {
            var network = Ok(daemon.Send("GET", "/v1/networks/" + Uri.EscapeDataString(created)));
            Check(readBack?.Invoke(network) ?? true, $"{what}: taken, but {Shown(value)} reads back as {Shown(network.GetRawText())}");
            Ok(daemon.Send("DELETE", "/v1/networks/" + Uri.EscapeDataString(created)));
        }

        Check(State(daemon) == state, $"{what}: taken and undone, but the state differs");
    }

    private string Networks()
        => string.Join("\n", _env.Engine.ListNetworks().Select(n => JsonSerializer.Serialize(new { n.Name, n.Subnet, n.Bridge, n.Dns, n.Policies })));

    /// <summary>Everything the daemon stores, as its API shows it.</summary>
    private static string State(DaemonProcess daemon)
        => Ok(daemon.Send("GET", "/v1/networks")).GetRawText() + Ok(daemon.Send("GET", "/v1/vms")).GetRawText() + Ok(daemon.Send("GET", "/v1/host")).GetRawText();

    private static JsonElement Ok(DaemonProcess.Answer answer)
    {
        Assert.True(answer.Status is 200 or 201, $"{answer.Status}: {answer.Body}");
        return answer.Json;
    }

    private void Check(bool holds, string failure)
    {
        if (!holds)
        {
            _failures.Add(failure);
        }
    }

    private static string Shown(string text) => UserText.Quote(text.Length > 200 ? text[..200] : text);
}
