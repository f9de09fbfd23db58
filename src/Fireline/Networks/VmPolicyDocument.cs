using Fireline.Documents;
using Fireline.Errors;
using Fireline.Policy;

namespace Fireline.Networks;

/// <summary>
/// A VM's own policy rules as written: a document holding <c>policies:</c>, a list in exactly the form of a
/// network's (a file for <c>fireline vm policy -f</c>, the body of <c>PUT /v1/vms/{id}/policy</c>), or that list
/// alone (the <c>policies</c> field of a create). Read by the network's rule parser and checked by the network's
/// validator: one form and one set of checks for every rule. Fields are named <c>policies[1].port</c>.
/// </summary>
public static class VmPolicyDocument
{
    /// <summary>A YAML document (the CLI's file); throws invalid-argument listing every problem.</summary>
    public static IReadOnlyList<PolicyRule> ParseYaml(string text)
        => BoundedYaml.Load(text) is DocumentMap root
            ? Parse(root)
            : throw DomainErrors.InvalidInput("file", "the file must hold one YAML mapping with a 'policies' list");

    /// <summary>A document's root (a file, or an API body read with <see cref="BoundedJson"/>): <c>policies</c> and nothing else.</summary>
    public static IReadOnlyList<PolicyRule> Parse(DocumentMap root)
    {
        var reader = new YamlFields();
        reader.CheckKeys(root, ["policies"], "", "VM policy");
        if (root["policies"] is null)
        {
            reader.Problems.Add("policies", root, "VM policy: 'policies' is required (a list of rules like a network's; an empty list removes them)");
        }

        return Checked(root["policies"] is { } node ? PolicyParser.ReadList(node, "policies", "VM policy", reader) : [], reader.Problems);
    }

    /// <summary>The list alone (a create's <c>policies</c> field).</summary>
    public static IReadOnlyList<PolicyRule> ParseList(DocumentNode node)
    {
        var reader = new YamlFields();
        return Checked(PolicyParser.ReadList(node, "policies", "VM policy", reader), reader.Problems);
    }

    /// <summary>Typed rules checked as a network's are; canonical form. Throws invalid-argument naming the field.</summary>
    public static IReadOnlyList<PolicyRule> Validate(IReadOnlyList<PolicyRule> rules) => Checked(rules, new Problems());

    private static List<PolicyRule> Checked(IReadOnlyList<PolicyRule> rules, Problems problems)
    {
        problems.ThrowIfAny();
        var canonical = NetworkValidator.CheckPolicies(rules, problems.Add);
        problems.ThrowIfAny();
        return canonical;
    }
}
