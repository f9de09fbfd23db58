using System.Text;
using System.Text.Json;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Networks;

/// <summary>
/// What the input fuzz throws, and where: strings that are syntax somewhere (nftables, YAML, JSON, a shell, the
/// kernel command line), strings no field should take (NUL, newlines, non-ASCII, 10,000 characters), address forms
/// parsers disagree on, and YAML's own tricks; a network with every string field set, to put them in.
/// </summary>
internal static class HostileInput
{
    /// <summary>Strings, each written into a field as a quoted YAML value or a JSON string: data, whatever they hold.</summary>
    public static readonly string[] Strings =
    [
        "", " ", "\"", "'", "a\"b", "x\n", "a\nb", "a\r\nb", "\t",
        ";", "a; delete table inet fireline", "\"; flush ruleset; \"", "{", "}",
        "a } chain input { type filter hook input priority 0; policy drop; }",
        "include \"/etc/shadow\"", "#", "a # comment", "\0", "a\0b", "é", "日本語", "\u202e", "\u0085",
        new string('a', 10_000), new string('9', 10_000),
        "$(touch /tmp/fireline-fuzz)", "`id`", "../../etc/passwd", "-x", "yes", "null", "~", "1e3", "0x10", "010", "true",
        "010.1.1.1", "0x0a.1.1.1", "10.1", "fe80::1%eth0", "::ffff:10.1.2.3", "10.77.0.0/24\n", "127.0.0.0/16", "0.0.0.0/0",
        "*alias", "&anchor", "!!str", "<<", "%TAG", "---", "...", "[a]", "{a: b}", "- a",
        "fl0a000002", "vm-x", "br-fz", "ok-name.1",
    ];

    /// <summary>YAML written as it is in the value's place: aliases, anchors, tags, a mapping or a list for a value.</summary>
    public static readonly string[] YamlTricks = ["*x", "&x y", "!!str y", "!<tag:example.com,2000:x> y", "{a: b}", "[a, b]", "[]"];

    /// <summary>JSON written as it is in the value's place: the wrong types, deep nesting, half a surrogate pair.</summary>
    public static readonly string[] JsonTricks =
        ["123", "-1", "1e400", "true", "{\"a\":\"b\"}", "[\"a\"]", "[]", new string('[', 70) + new string(']', 70), "\"\\ud800\"", "\"a\\u0000b\""];

    /// <summary>
    /// The fields of a network, as a networks file names them under <c>networks[0].</c>, with the value the base
    /// network has (null: left out unless fuzzed).
    /// </summary>
    public static readonly (string Field, string? Value)[] NetworkFields =
    [
        ("name", "fz"), ("subnet", "10.77.0.0/24"), ("bridge", "br-fz"), ("ipv6", null), ("vlan", null), ("gateway", null), ("nat", "true"),
        ("metadata", "false"), ("dns[0]", "10.77.0.1"), ("defaultIngress", "allow"), ("defaultEgress", "allow"), ("rateLimiter", "firecracker"),
        ("policies[0].name", "web"), ("policies[0].direction", "ingress"), ("policies[0].protocol", "tcp"), ("policies[0].port", "80"),
        ("policies[0].source", "192.0.2.0/24"), ("policies[0].destination", "10.77.0.0/24"), ("policies[0].action", "allow"),
    ];

    /// <summary>A string as a JSON string literal, all ASCII (so it is a valid YAML double-quoted value too).</summary>
    public static string Quoted(string text) => JsonSerializer.Serialize(text);

    /// <summary>The base network as a networks file, with <paramref name="field"/>'s value replaced by <paramref name="value"/> (YAML text).</summary>
    public static string Yaml(string? field = null, string? value = null)
    {
        string? V(string name) => name == field ? value : NetworkFields.Single(f => f.Field == name).Value is { } v ? Quoted(v) : null;
        var text = new StringBuilder("networks:\n");
        text.Append("  - name: ").Append(V("name")).Append('\n');
        foreach (var key in new[] { "subnet", "bridge", "ipv6", "vlan", "gateway", "nat", "metadata", "defaultIngress", "defaultEgress", "rateLimiter" })
        {
            if (V(key) is { } given)
            {
                text.Append("    ").Append(key).Append(": ").Append(given).Append('\n');
            }
        }

        text.Append("    dns:\n      - ").Append(V("dns[0]")).Append('\n');
        text.Append("    policies:\n      - name: ").Append(V("policies[0].name")).Append('\n');
        foreach (var key in new[] { "direction", "protocol", "port", "source", "destination", "action" })
        {
            text.Append("        ").Append(key).Append(": ").Append(V($"policies[0].{key}")).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The base network as the body of <c>PUT /v1/networks/fz</c>, with a field's value replaced by <paramref name="value"/> (JSON text).</summary>
    public static string Json(string? field = null, string? value = null)
    {
        string? V(string name) => name == field ? value : NetworkFields.Single(f => f.Field == name).Value is { } v ? Quoted(v) : null;
        var fields = new List<string>();
        foreach (var key in new[] { "name", "subnet", "bridge", "ipv6", "vlan", "gateway", "nat", "metadata", "defaultIngress", "defaultEgress", "rateLimiter" })
        {
            // The name is the path's; a body repeats it only when it is fuzzed.
            if ((key != "name" || field == "name") && V(key) is { } given)
            {
                fields.Add($"{Quoted(key)}:{given}");
            }
        }

        fields.Add($"\"dns\":[{V("dns[0]")}]");
        var rule = string.Join(",", new[] { "name", "direction", "protocol", "port", "source", "destination", "action" }
            .Select(key => $"{Quoted(key)}:{V($"policies[0].{key}")}"));
        fields.Add($"\"policies\":[{{{rule}}}]");
        return "{" + string.Join(",", fields) + "}";
    }

    /// <summary>
    /// The test host's ruleset without Fireline's own tables (<c>inet fireline</c>, <c>bridge fireline</c>), with
    /// handles: what must stay byte for byte the same whatever Fireline is asked.
    /// </summary>
    public static string ForeignRuleset(TestHost host)
    {
        var kept = new StringBuilder();
        var inFireline = false;
        foreach (var line in host.InHost("nft", "-a", "list", "ruleset").Split('\n'))
        {
            if (line.StartsWith("table inet fireline ", StringComparison.Ordinal) || line.StartsWith("table bridge fireline ", StringComparison.Ordinal))
            {
                inFireline = true;
            }
            else if (!inFireline)
            {
                kept.Append(line).Append('\n');
            }
            else if (line == "}")
            {
                inFireline = false;
            }
        }

        return kept.ToString();
    }

    /// <summary>A table of the test host's own, so that the ruleset outside Fireline's tables has something to keep.</summary>
    public static void AddForeignTables(TestHost host)
    {
        host.InHost("nft", "add table inet foreign");
        host.InHost("nft", "add set inet foreign blocked { type ipv4_addr; elements = { 192.0.2.66 } }");
        host.InHost("nft", "add chain inet foreign input { type filter hook input priority 10; policy accept; }");
        host.InHost("nft", "add rule inet foreign input ip saddr @blocked drop comment \"foreign rule\"");
        host.InHost("nft", "add table ip other");
        host.InHost("nft", "add chain ip other post { type nat hook postrouting priority 110; policy accept; }");
    }
}
