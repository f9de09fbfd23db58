using System.Globalization;
using System.Net;
using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Linux.Rtnetlink;
using Fireline.Policy;
using Fireline.State;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fireline.Networks;

/// <summary>
/// Reads the design document's <c>network-config.yaml</c> (networks: name, subnet, vlan, policies: name,
/// direction, protocol, port, source, action) plus Fireline's documented extensions (bridge, nat, dns,
/// defaultIngress, defaultEgress, rateLimiter, metadata; port ranges "a-b"; destination). Every problem is
/// reported with its path, its network and its line; unknown keys are errors, so a typo never silently
/// widens a policy. Built on YamlDotNet's representation model: no reflection, safe for NativeAOT.
/// </summary>
public static class NetworkFileParser
{
    private static readonly string[] NetworkKeys = ["name", "subnet", "vlan", "policies", "bridge", "nat", "dns", "ipv6", "defaultIngress", "defaultEgress", "rateLimiter", "metadata"];

    /// <summary>Parses and validates; throws one <see cref="FirelineException"/> (invalid-argument) listing every problem.</summary>
    public static IReadOnlyList<NetworkSpec> Parse(string yaml)
    {
        var problems = new Problems();
        var networks = new List<NetworkSpec>();
        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException error)
        {
            throw DomainErrors.InvalidInput("file", $"not valid YAML at line {error.Start.Line}, column {error.Start.Column}: {error.InnerException?.Message ?? error.Message}");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw DomainErrors.InvalidInput("file", "the file must hold one YAML mapping with a 'networks' list");
        }

        CheckKeys(root, ["networks"], "", problems);
        if (!root.Children.TryGetValue(new YamlScalarNode("networks"), out var list) || list is not YamlSequenceNode sequence)
        {
            problems.Add("networks", root, "a 'networks' list is required");
            problems.ThrowIfAny();
            return [];
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"networks[{i}]";
            if (sequence.Children[i] is not YamlMappingNode network)
            {
                problems.Add(path, sequence.Children[i], "each network is a mapping (name, subnet, policies, ...)");
                continue;
            }

            if (ParseNetwork(network, path, problems) is { } spec)
            {
                networks.Add(spec);
            }
        }

        foreach (var duplicate in networks.GroupBy(n => n.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add("networks", root, $"network name '{duplicate.Key}' is used {duplicate.Count()} times");
        }

        foreach (var duplicate in networks.GroupBy(n => n.Bridge, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add("networks", root, $"bridge '{duplicate.Key}' is used by networks {string.Join(", ", duplicate.Select(n => n.Name))}");
        }

        for (var a = 0; a < networks.Count; a++)
        {
            for (var b = a + 1; b < networks.Count; b++)
            {
                if (Ipv4Network.Parse(networks[a].Subnet).Overlaps(Ipv4Network.Parse(networks[b].Subnet)))
                {
                    problems.Add($"networks[{b}].subnet", root,
                        $"network '{networks[b].Name}': subnet {networks[b].Subnet} overlaps network '{networks[a].Name}' ({networks[a].Subnet})");
                }

                if (networks[a].Ipv6 is { } first && networks[b].Ipv6 is { } second && Ipv6Prefix.Parse(first).Overlaps(Ipv6Prefix.Parse(second)))
                {
                    problems.Add($"networks[{b}].ipv6", root,
                        $"network '{networks[b].Name}': ipv6 {second} overlaps network '{networks[a].Name}' ({first})");
                }
            }
        }

        problems.ThrowIfAny();
        return networks;
    }

    private static NetworkSpec? ParseNetwork(YamlMappingNode node, string path, Problems problems)
    {
        var before = problems.Count;
        var name = Scalar(node, "name", path, problems, required: true);
        var label = name is null ? path : $"network '{name}'";
        CheckKeys(node, NetworkKeys, path, problems, label);
        if (name is not null && !NetworkNames.IsValid(name))
        {
            problems.Add($"{path}.name", At(node, "name"), $"{label}: a name is 1-32 characters of [A-Za-z0-9_.-], starting with a letter or digit");
        }

        var subnetText = Scalar(node, "subnet", path, problems, required: true, label);
        if (subnetText is not null)
        {
            if (!Ipv4Network.TryParse(subnetText, out var subnet, out var error))
            {
                problems.Add($"{path}.subnet", At(node, "subnet"), $"{label}: subnet {error}");
            }
            else if (subnet.PrefixLength > 30)
            {
                problems.Add($"{path}.subnet", At(node, "subnet"), $"{label}: subnet {subnet} has room for no VM (use /30 or shorter)");
            }
        }

        var ipv6 = Scalar(node, "ipv6", path, problems, required: false, label);
        if (ipv6 is not null)
        {
            if (Ipv6Prefix.TryParse(ipv6, out var prefix, out var error))
            {
                ipv6 = prefix.ToString();
            }
            else
            {
                problems.Add($"{path}.ipv6", At(node, "ipv6"), $"{label}: ipv6 {error}");
            }
        }

        var vlan = Integer(node, "vlan", path, problems, label, 1, 4094);
        var bridge = Scalar(node, "bridge", path, problems, required: false, label) ?? (name is null ? null : NetworkNames.DefaultBridge(name));
        if (bridge is not null && !LinkName.IsValid(bridge))
        {
            problems.Add($"{path}.bridge", At(node, "bridge"), $"{label}: bridge '{bridge}' is not an interface name (1-15 bytes, no '/', ':' or space)");
        }

        var nat = Boolean(node, "nat", path, problems, label) ?? true;
        var metadata = Boolean(node, "metadata", path, problems, label) ?? false;
        var dns = Strings(node, "dns", path, problems, label);
        for (var i = 0; i < dns.Count; i++)
        {
            if (!IPAddress.TryParse(dns[i], out var server) || server.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                problems.Add($"{path}.dns[{i}]", At(node, "dns"), $"{label}: dns server '{dns[i]}' is not an IPv4 address");
            }
        }

        var defaultIngress = Enum(node, "defaultIngress", path, problems, label, ActionNames) ?? PolicyAction.Allow;
        var defaultEgress = Enum(node, "defaultEgress", path, problems, label, ActionNames) ?? PolicyAction.Allow;
        var rateLimiter = Enum(node, "rateLimiter", path, problems, label, RateLimiterNames) ?? RateLimiterKind.Firecracker;
        var policies = new List<PolicyRule>();
        if (node.Children.TryGetValue(new YamlScalarNode("policies"), out var policyNode))
        {
            if (policyNode is YamlSequenceNode rules)
            {
                for (var i = 0; i < rules.Children.Count; i++)
                {
                    if (PolicyParser.Parse(rules.Children[i], $"{path}.policies[{i}]", label, problems) is { } rule)
                    {
                        policies.Add(rule);
                    }
                }

                foreach (var duplicate in policies.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    problems.Add($"{path}.policies", rules, $"{label}: policy name '{duplicate.Key}' is used {duplicate.Count()} times");
                }
            }
            else if (policyNode is not YamlScalarNode { Value: null or "" })
            {
                problems.Add($"{path}.policies", policyNode, $"{label}: policies is a list of rules");
            }
        }

        if (problems.Count > before || name is null || subnetText is null || bridge is null)
        {
            return null;
        }

        return new NetworkSpec
        {
            Name = name,
            Subnet = Ipv4Network.Parse(subnetText).ToString(),
            Bridge = bridge,
            Nat = nat,
            Dns = dns,
            Ipv6 = ipv6,
            Vlan = vlan,
            Policies = policies,
            DefaultIngress = defaultIngress,
            DefaultEgress = defaultEgress,
            RateLimiter = rateLimiter,
            Metadata = metadata,
        };
    }

    /// <summary>The value node of a key (for its line), or the mapping when the key is absent.</summary>
    internal static YamlNode At(YamlMappingNode node, string key)
        => node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : node;

    internal static readonly (string Name, PolicyAction Value)[] ActionNames = [("allow", PolicyAction.Allow), ("deny", PolicyAction.Deny)];
    private static readonly (string Name, RateLimiterKind Value)[] RateLimiterNames = [("firecracker", RateLimiterKind.Firecracker), ("tc", RateLimiterKind.Tc)];

    internal static void CheckKeys(YamlMappingNode node, string[] allowed, string path, Problems problems, string? label = null)
    {
        foreach (var key in node.Children.Keys)
        {
            var text = (key as YamlScalarNode)?.Value ?? "?";
            if (!allowed.Contains(text, StringComparer.Ordinal))
            {
                problems.Add(path.Length == 0 ? text : $"{path}.{text}", key,
                    $"{(label is null ? "" : label + ": ")}unknown key '{text}' (known: {string.Join(", ", allowed)})");
            }
        }
    }

    internal static string? Scalar(YamlMappingNode node, string key, string path, Problems problems, bool required, string? label = null)
    {
        if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            if (required)
            {
                problems.Add($"{path}.{key}", node, $"{(label is null ? "" : label + ": ")}'{key}' is required");
            }

            return null;
        }

        if (value is not YamlScalarNode { Value: { Length: > 0 } text })
        {
            problems.Add($"{path}.{key}", value, $"{(label is null ? "" : label + ": ")}'{key}' must be a single value");
            return null;
        }

        return text;
    }

    internal static int? Integer(YamlMappingNode node, string key, string path, Problems problems, string label, int min, int max)
    {
        var text = Scalar(node, key, path, problems, required: false, label);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            problems.Add($"{path}.{key}", node.Children[new YamlScalarNode(key)], $"{label}: {key} '{text}' is out of range ({min}-{max})");
            return null;
        }

        return value;
    }

    private static bool? Boolean(YamlMappingNode node, string key, string path, Problems problems, string label)
    {
        var text = Scalar(node, key, path, problems, required: false, label);
        return text switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => Fail(),
        };

        bool? Fail()
        {
            problems.Add($"{path}.{key}", node.Children[new YamlScalarNode(key)], $"{label}: {key} must be true or false, not '{text}'");
            return null;
        }
    }

    internal static T? Enum<T>(YamlMappingNode node, string key, string path, Problems problems, string label, (string Name, T Value)[] names)
        where T : struct
    {
        var text = Scalar(node, key, path, problems, required: false, label);
        if (text is null)
        {
            return null;
        }

        foreach (var (name, value) in names)
        {
            if (name == text)
            {
                return value;
            }
        }

        problems.Add($"{path}.{key}", node.Children[new YamlScalarNode(key)],
            $"{label}: {key} '{text}' is not one of {string.Join(", ", names.Select(n => n.Name))}");
        return null;
    }

    private static List<string> Strings(YamlMappingNode node, string key, string path, Problems problems, string label)
    {
        if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return [];
        }

        if (value is YamlSequenceNode items && items.Children.All(c => c is YamlScalarNode))
        {
            return [.. items.Children.Select(c => ((YamlScalarNode)c).Value ?? "")];
        }

        problems.Add($"{path}.{key}", value, $"{label}: {key} is a list of values");
        return [];
    }
}
