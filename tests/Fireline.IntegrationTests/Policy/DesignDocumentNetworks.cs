namespace Fireline.IntegrationTests.Policy;

/// <summary>
/// The design document's network-config.yaml: examples/tenants.yaml (the document's file without its vlan
/// lines), or with them put back as the document writes them.
/// </summary>
internal static class DesignDocumentNetworks
{
    public static string Yaml(bool withVlans)
    {
        var text = File.ReadAllText(Path.Combine(TestSupport.Repository.Root, "examples", "tenants.yaml"));
        return withVlans
            ? text.Replace("subnet: 10.101.0.0/16\n", "subnet: 10.101.0.0/16\n    vlan: 101\n", StringComparison.Ordinal)
                  .Replace("subnet: 10.102.0.0/16\n", "subnet: 10.102.0.0/16\n    vlan: 102\n", StringComparison.Ordinal)
            : text;
    }
}
