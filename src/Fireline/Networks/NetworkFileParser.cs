using Fireline.Documents;
using Fireline.Errors;
using Fireline.Policy;
using Fireline.State;

namespace Fireline.Networks;

/// <summary>
/// Reads the design document's <c>network-config.yaml</c> (networks: name, subnet, vlan, policies: name,
/// direction, protocol, port, source, action) plus Fireline's documented extensions (bridge, nat, dns,
/// defaultIngress, defaultEgress, rateLimiter, metadata, pool; port ranges "a-b"; destination), and one network alone
/// in the same terms (an API body). The text is read with <see cref="BoundedYaml"/>'s bounds (a JSON body with
/// <see cref="BoundedJson"/>'s, into the same tree); this parser turns the tree into networks (unknown keys are errors, so a typo never
/// silently widens a policy) and <see cref="NetworkValidator"/> decides whether they are valid. Every problem is
/// reported with its path, its network and its line. Built on YamlDotNet's representation model: no reflection,
/// safe for NativeAOT.
/// </summary>
public static class NetworkFileParser
{
    private static readonly string[] NetworkKeys = ["name", "subnet", "vlan", "policies", "bridge", "gateway", "nat", "dns", "ipv6", "defaultIngress", "defaultEgress", "rateLimiter", "metadata", "pool"];
    internal static readonly (string Name, RateLimiterKind Value)[] RateLimiterNames = [("firecracker", RateLimiterKind.Firecracker), ("tc", RateLimiterKind.Tc)];

    internal static readonly (string Name, bool Value)[] GatewayNames = [("bridge", false), ("outside", true)];

    internal static readonly (string Name, PolicyAction Value)[] ActionNames = [("allow", PolicyAction.Allow), ("deny", PolicyAction.Deny)];

    /// <summary>Parses and validates; throws one <see cref="FirelineException"/> (invalid-argument) listing every problem.</summary>
    public static IReadOnlyList<NetworkSpec> Parse(string yaml)
    {
        if (BoundedYaml.Load(yaml) is not DocumentMap root)
        {
            throw DomainErrors.InvalidInput("file", "the file must hold one YAML mapping with a 'networks' list");
        }

        var reader = new YamlFields();
        reader.CheckKeys(root, ["networks"], "");
        return ReadNetworks(root["networks"], root, reader);
    }

    /// <summary>
    /// The <c>networks</c> list of a document already read (the configuration file's <c>networks:</c>): fields are
    /// named <c>networks[3].subnet</c> and lines are that document's.
    /// </summary>
    public static IReadOnlyList<NetworkSpec> ParseNetworks(DocumentNode networks) => ReadNetworks(networks, networks, new YamlFields());

    /// <summary>
    /// One network on its own (an API body): its fields are named as it names them (<c>subnet</c>,
    /// <c>policies[0].port</c>). Throws invalid-argument listing every problem.
    /// </summary>
    public static NetworkSpec ParseNetwork(DocumentMap network)
    {
        var reader = new YamlFields();
        var spec = ReadNetwork(network, "", reader);
        var valid = NetworkValidator.CheckValues(spec is null ? [] : [(0, spec)], OwnField, reader.Problems);
        reader.Problems.ThrowIfAny();
        return valid[0];
    }

    /// <summary>How a lone network names its field: <c>subnet</c>.</summary>
    public static string OwnField(int network, string field) => field;

    private static List<NetworkSpec> ReadNetworks(DocumentNode? node, DocumentNode at, YamlFields reader)
    {
        if (node is not DocumentList sequence)
        {
            reader.Problems.Add("networks", at, "a 'networks' list is required");
            reader.Problems.ThrowIfAny();
            return [];
        }

        var networks = new List<(int Index, NetworkSpec Spec)>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var path = $"networks[{i}]";
            if (sequence.Items[i] is not DocumentMap network)
            {
                reader.Problems.Add(path, sequence.Items[i], "each network is a mapping (name, subnet, policies, ...)");
            }
            else if (ReadNetwork(network, path, reader) is { } spec)
            {
                networks.Add((i, spec));
            }
        }

        var valid = NetworkValidator.CheckValues(networks, Field, reader.Problems);
        reader.Problems.ThrowIfAny();
        return valid;
    }

    /// <summary>How a networks file names a network's field: <c>networks[3].subnet</c>.</summary>
    public static string Field(int network, string field) => $"networks[{network}].{field}";

    /// <summary>A network as written; null when a key, a type or a required field is wrong (reported).</summary>
    private static NetworkSpec? ReadNetwork(DocumentMap node, string path, YamlFields reader)
    {
        var before = reader.Problems.Count;
        var name = reader.Scalar(node, "name", path, required: true);
        var label = name is null ? path : $"network {UserText.Quote(name)}";
        reader.CheckKeys(node, NetworkKeys, path, label);
        var subnet = reader.Scalar(node, "subnet", path, required: true, label);
        var ipv6 = reader.Scalar(node, "ipv6", path, required: false, label);
        var vlan = reader.Integer(node, "vlan", path, label);
        var bridge = reader.Scalar(node, "bridge", path, required: false, label);
        var gatewayOutside = reader.Enum(node, "gateway", path, label, GatewayNames) ?? false;
        // A network tagged on the uplink is bridged to the physical network: routed and masqueraded only when asked.
        var nat = reader.Boolean(node, "nat", path, label) ?? vlan is null;
        var metadata = reader.Boolean(node, "metadata", path, label) ?? false;
        var pool = reader.Integer(node, "pool", path, label) ?? 0;
        var dns = reader.Strings(node, "dns", path, label);
        var defaultIngress = reader.Enum(node, "defaultIngress", path, label, ActionNames) ?? PolicyAction.Allow;
        var defaultEgress = reader.Enum(node, "defaultEgress", path, label, ActionNames) ?? PolicyAction.Allow;
        var rateLimiter = reader.Enum(node, "rateLimiter", path, label, RateLimiterNames) ?? RateLimiterKind.Firecracker;
        var policies = node["policies"] is { } policyNode ? PolicyParser.ReadList(policyNode, $"{YamlFields.Under(path)}policies", label, reader) : [];

        if (reader.Problems.Count > before || name is null || subnet is null ||
            NetworkValidator.ParseAddresses(label, subnet, ipv6, (field, message) => reader.Problems.Add($"{YamlFields.Under(path)}{field}", message)) is not var (subnetValue, prefix))
        {
            return null;
        }

        return new NetworkSpec
        {
            Name = name,
            Subnet = subnetValue,
            Bridge = bridge ?? NetworkNames.DefaultBridge(name),
            Nat = nat,
            Dns = dns,
            Ipv6 = prefix,
            Vlan = vlan,
            GatewayOutside = gatewayOutside,
            Policies = policies,
            DefaultIngress = defaultIngress,
            DefaultEgress = defaultEgress,
            RateLimiter = rateLimiter,
            Metadata = metadata,
            Pool = pool,
        };
    }
}
