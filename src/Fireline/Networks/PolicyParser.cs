using System.Globalization;
using System.Net;
using Fireline.Addressing;
using Fireline.Policy;
using YamlDotNet.RepresentationModel;

namespace Fireline.Networks;

/// <summary>Reads and checks one policy rule of a network.</summary>
internal static class PolicyParser
{
    private static readonly string[] Keys = ["name", "direction", "protocol", "port", "source", "destination", "action"];
    private static readonly (string Name, PolicyDirection Value)[] Directions = [("ingress", PolicyDirection.Ingress), ("egress", PolicyDirection.Egress)];
    private static readonly string[] Protocols = ["tcp", "udp", "icmp"];

    public static PolicyRule? Parse(YamlNode node, string path, string network, Problems problems)
    {
        if (node is not YamlMappingNode rule)
        {
            problems.Add(path, node, $"{network}: each policy is a mapping (name, direction, protocol, port, source, action)");
            return null;
        }

        var before = problems.Count;
        var name = NetworkFileParser.Scalar(rule, "name", path, problems, required: true, network);
        var label = name is null ? network : $"{network}, policy '{name}'";
        NetworkFileParser.CheckKeys(rule, Keys, path, problems, label);
        var direction = NetworkFileParser.Enum(rule, "direction", path, problems, label, Directions);
        if (direction is null && !rule.Children.ContainsKey(new YamlScalarNode("direction")))
        {
            problems.Add($"{path}.direction", rule, $"{label}: 'direction' is required (ingress or egress)");
        }

        var action = NetworkFileParser.Enum(rule, "action", path, problems, label, NetworkFileParser.ActionNames);
        if (action is null && !rule.Children.ContainsKey(new YamlScalarNode("action")))
        {
            problems.Add($"{path}.action", rule, $"{label}: 'action' is required (allow or deny)");
        }

        var protocol = NetworkFileParser.Scalar(rule, "protocol", path, problems, required: false, label);
        if (protocol is "any")
        {
            protocol = null;
        }
        else if (protocol is not null && !Protocols.Contains(protocol, StringComparer.Ordinal))
        {
            problems.Add($"{path}.protocol", rule, $"{label}: protocol '{protocol}' is not one of tcp, udp, icmp, any");
        }

        var (from, to) = Ports(rule, path, label, protocol, problems);
        var source = Cidr(rule, "source", path, label, problems);
        var destination = Cidr(rule, "destination", path, label, problems);
        if (problems.Count > before || name is null || direction is null || action is null)
        {
            return null;
        }

        return new PolicyRule
        {
            Name = name,
            Direction = direction.Value,
            Protocol = protocol,
            PortFrom = from,
            PortTo = to,
            Source = source,
            Destination = destination,
            Action = action.Value,
        };
    }

    /// <summary>A port (<c>80</c>) or a range (<c>"8000-8100"</c>), only with tcp or udp.</summary>
    private static (int? From, int? To) Ports(YamlMappingNode rule, string path, string label, string? protocol, Problems problems)
    {
        var text = NetworkFileParser.Scalar(rule, "port", path, problems, required: false, label);
        if (text is null)
        {
            return (null, null);
        }

        var node = rule.Children[new YamlScalarNode("port")];
        if (protocol is not ("tcp" or "udp"))
        {
            problems.Add($"{path}.port", node, $"{label}: a port needs protocol tcp or udp{(protocol is null ? "" : $", not {protocol}")}");
            return (null, null);
        }

        var parts = text.Split('-', 2);
        if (!TryPort(parts[0], out var from) || !TryPort(parts.Length == 2 ? parts[1] : parts[0], out var to))
        {
            problems.Add($"{path}.port", node, $"{label}: port '{text}' is out of range (1-65535, or a range like 8000-8100)");
            return (null, null);
        }

        if (from > to)
        {
            problems.Add($"{path}.port", node, $"{label}: port range '{text}' ends before it starts");
            return (null, null);
        }

        return (from, to);
    }

    private static bool TryPort(string text, out int port)
        => int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    /// <summary>
    /// An IPv4 or IPv6 CIDR, or a bare address (/32, /128). A rule with an IPv4 CIDR matches IPv4 traffic only,
    /// one with an IPv6 CIDR IPv6 only; 0.0.0.0/0 and ::/0 match any address of their family.
    /// </summary>
    private static string? Cidr(YamlMappingNode rule, string key, string path, string label, Problems problems)
    {
        var text = NetworkFileParser.Scalar(rule, key, path, problems, required: false, label);
        if (text is null)
        {
            return null;
        }

        var v6 = text.Contains(':', StringComparison.Ordinal);
        var candidate = text.Contains('/', StringComparison.Ordinal) ? text : text + (v6 ? "/128" : "/32");
        // Host bits are refused, as for IPv4: 2001:db8::1/32 is more likely a typo than a network.
        if (v6 && IPNetwork.TryParse(candidate, out var v6Network) && v6Network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 &&
            v6Network.BaseAddress.Equals(IPAddress.Parse(candidate[..candidate.IndexOf('/', StringComparison.Ordinal)])))
        {
            return v6Network.ToString();
        }

        string? error = null;
        if (!v6 && Ipv4Network.TryParse(candidate, out var v4Network, out error))
        {
            return v4Network.ToString();
        }

        problems.Add($"{path}.{key}", rule.Children[new YamlScalarNode(key)],
            v6 ? $"{label}: {key} '{text}' is not an IPv6 CIDR without host bits" : $"{label}: {key} {error}");
        return null;
    }
}
