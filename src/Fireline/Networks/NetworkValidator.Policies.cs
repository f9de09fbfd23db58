using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Policy;

namespace Fireline.Networks;

/// <summary>A network's policy rules.</summary>
public sealed partial class NetworkValidator
{
    private static readonly string[] Protocols = ["tcp", "udp", "icmp"];

    /// <summary>
    /// The rules (a network's or a VM's) with their addresses in canonical form (problems reported through
    /// <paramref name="problem"/>, fields named <c>policies[1].port</c>).
    /// </summary>
    internal static List<PolicyRule> CheckPolicies(IReadOnlyList<PolicyRule> rules, Action<string, string> problem)
    {
        if (rules.Count > MaxPolicies)
        {
            problem("policies", $"{rules.Count} policy rules; a network or a VM has at most {MaxPolicies}");
            return [];
        }

        var canonical = new List<PolicyRule>(rules.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"policies[{i}]";
            var rule = rules[i];
            void Problem(string field, string message) => problem($"{path}.{field}", $"policy {UserText.Quote(rule.Name)}: {message}");
            if (!SafeName.IsValid(rule.Name, NetworkNames.MaxPolicyLength))
            {
                Problem("name", $"a policy name is {SafeName.Rule(NetworkNames.MaxPolicyLength)}");
            }
            else if (!names.Add(rule.Name))
            {
                Problem("name", "the name is used by an earlier rule");
            }

            if (rule.Protocol is { } protocol && !Protocols.Contains(protocol, StringComparer.Ordinal))
            {
                Problem("protocol", $"protocol {UserText.Quote(protocol)} is not one of tcp, udp, icmp, any");
            }

            CheckPorts(rule, Problem);
            canonical.Add(rule with { Source = Cidr(rule.Source, "source", Problem), Destination = Cidr(rule.Destination, "destination", Problem) });
        }

        return canonical;
    }

    /// <summary>A port or a range, only with tcp or udp.</summary>
    private static void CheckPorts(PolicyRule rule, Action<string, string> problem)
    {
        if (rule.PortFrom is null && rule.PortTo is null)
        {
            return;
        }

        if (rule.Protocol is not ("tcp" or "udp"))
        {
            problem("port", $"a port needs protocol tcp or udp{(rule.Protocol is null ? "" : $", not {UserText.Quote(rule.Protocol)}")}");
        }
        else if (rule.PortFrom is not (>= 1 and <= 65535) || rule.PortTo is not (>= 1 and <= 65535))
        {
            problem("port", $"port {Ports(rule)} is out of range (1-65535, or a range like 8000-8100)");
        }
        else if (rule.PortFrom > rule.PortTo)
        {
            problem("port", $"port range {Ports(rule)} ends before it starts");
        }
    }

    private static string Ports(PolicyRule rule) => rule.PortFrom == rule.PortTo ? $"{rule.PortFrom}" : $"{rule.PortFrom}-{rule.PortTo}";

    /// <summary>
    /// An IPv4 or IPv6 CIDR, or a bare address (/32, /128), in canonical form. A rule with an IPv4 CIDR matches IPv4
    /// traffic only, one with an IPv6 CIDR IPv6 only; 0.0.0.0/0 and ::/0 match any address of their family. Host
    /// bits are refused: 10.1.2.3/16 is more likely a typo than a network.
    /// </summary>
    private static string? Cidr(string? text, string field, Action<string, string> problem)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (Ipv6Network.TryParse(text.Contains('/', StringComparison.Ordinal) ? text : text + "/128", out var v6, out var v6Error))
            {
                return v6.ToString();
            }

            problem(field, $"{field} {UserText.Quote(text)} {v6Error}");
            return null;
        }

        if (Ipv4Network.TryParse(text.Contains('/', StringComparison.Ordinal) ? text : text + "/32", out var v4, out var v4Error))
        {
            return v4.ToString();
        }

        problem(field, $"{field} {UserText.Quote(text)} {v4Error}");
        return null;
    }
}
