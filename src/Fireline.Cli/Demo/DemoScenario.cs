namespace Fireline.Cli.Demo;

/// <summary>What the demo sets up and checks: the design document's two tenant networks and their policies.</summary>
internal static class DemoScenario
{
    /// <summary>examples/tenants.yaml: the design document's network-config.yaml without its vlan lines.</summary>
    public static string Networks()
    {
        using var stream = typeof(DemoScenario).Assembly.GetManifestResourceStream("tenants.yaml")
            ?? throw new InvalidOperationException("tenants.yaml is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The VMs: two of tenant A, one of tenant B.</summary>
    public static readonly (string Name, string Network)[] Vms = [("a1", "customer-a-prod"), ("a2", "customer-a-prod"), ("b1", "customer-b-dev")];
}

/// <summary>One line of the demo's table: who tried what, what Fireline should do, what happened, and why.</summary>
internal sealed record DemoResult(string From, string To, string Traffic, bool ExpectReached, bool Reached, string Why)
{
    public bool AsExpected => ExpectReached == Reached;
}

/// <summary>The demo's report (<c>-o json</c>).</summary>
internal sealed record DemoReport(string Host, IReadOnlyList<string> Vms, IReadOnlyList<DemoResult> Results, int AsExpected, int Total);
