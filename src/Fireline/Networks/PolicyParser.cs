using Fireline.Errors;
using Fireline.Policy;
using Fireline.Documents;

namespace Fireline.Networks;

/// <summary>Reads policy rules as written, a network's or a VM's (<see cref="NetworkValidator"/> checks their values).</summary>
internal static class PolicyParser
{
    /// <summary>A <c>policies</c> list at <paramref name="path"/>; rules with a problem are reported and left out.</summary>
    public static List<PolicyRule> ReadList(DocumentNode node, string path, string label, YamlFields reader)
    {
        var policies = new List<PolicyRule>();
        reader.Mark(path, node);
        if (node is DocumentList rules)
        {
            for (var i = 0; i < rules.Items.Count; i++)
            {
                if (Read(rules.Items[i], $"{path}[{i}]", label, reader) is { } rule)
                {
                    policies.Add(rule);
                }
            }
        }
        else if (node is not DocumentText { Value: "" })
        {
            reader.Problems.Add(path, node, $"{label}: policies is a list of rules");
        }

        return policies;
    }

    private static readonly string[] Keys = ["name", "direction", "protocol", "port", "source", "destination", "action"];
    private static readonly (string Name, PolicyDirection Value)[] Directions = [("ingress", PolicyDirection.Ingress), ("egress", PolicyDirection.Egress)];

    public static PolicyRule? Read(DocumentNode node, string path, string network, YamlFields reader)
    {
        if (node is not DocumentMap rule)
        {
            reader.Problems.Add(path, node, $"{network}: each policy is a mapping (name, direction, protocol, port, source, action)");
            return null;
        }

        var before = reader.Problems.Count;
        var name = reader.Scalar(rule, "name", path, required: true, network);
        var label = name is null ? network : $"{network}, policy {UserText.Quote(name)}";
        reader.CheckKeys(rule, Keys, path, label);
        var direction = reader.Enum(rule, "direction", path, label, Directions);
        if (direction is null && rule["direction"] is null)
        {
            reader.Problems.Add($"{YamlFields.Under(path)}direction", rule, $"{label}: 'direction' is required (ingress or egress)");
        }

        var action = reader.Enum(rule, "action", path, label, NetworkFileParser.ActionNames);
        if (action is null && rule["action"] is null)
        {
            reader.Problems.Add($"{YamlFields.Under(path)}action", rule, $"{label}: 'action' is required (allow or deny)");
        }

        var protocol = reader.Scalar(rule, "protocol", path, required: false, label);
        var (from, to) = Ports(rule, path, label, reader);
        var source = reader.Scalar(rule, "source", path, required: false, label);
        var destination = reader.Scalar(rule, "destination", path, required: false, label);
        if (reader.Problems.Count > before || name is null || direction is null || action is null)
        {
            return null;
        }

        return new PolicyRule
        {
            Name = name,
            Direction = direction.Value,
            Protocol = protocol is "any" ? null : protocol,
            PortFrom = from,
            PortTo = to,
            Source = source,
            Destination = destination,
            Action = action.Value,
        };
    }

    /// <summary>A port (<c>80</c>) or a range (<c>"8000-8100"</c>) as numbers.</summary>
    private static (int? From, int? To) Ports(DocumentMap rule, string path, string label, YamlFields reader)
    {
        var text = reader.Scalar(rule, "port", path, required: false, label);
        if (text is null)
        {
            return (null, null);
        }

        var parts = text.Split('-', 2);
        if (!YamlFields.TryParseWholeNumber(parts[0], out var from) || !YamlFields.TryParseWholeNumber(parts[^1], out var to))
        {
            reader.Problems.Add($"{YamlFields.Under(path)}port", $"{label}: port {UserText.Quote(text)} is not a port (1-65535) or a range like 8000-8100");
            return (null, null);
        }

        return (from, to);
    }
}
