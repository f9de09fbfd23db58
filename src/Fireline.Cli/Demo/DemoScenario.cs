namespace Fireline.Cli.Demo;

/// <summary>What the demo sets up and checks: the design document's two tenant networks and their policies.</summary>
internal static class DemoScenario
{
    /// <summary>The design document's network-config.yaml, without its vlan lines (this kernel has no 802.1Q).</summary>
    public const string Networks = """
        networks:
          - name: customer-a-prod
            subnet: 10.101.0.0/16
            policies:
              - name: allow-http
                direction: ingress
                protocol: tcp
                port: 80
                source: 0.0.0.0/0
                action: allow
              - name: allow-https
                direction: ingress
                protocol: tcp
                port: 443
                source: 0.0.0.0/0
                action: allow
              - name: deny-all-else
                direction: ingress
                source: 0.0.0.0/0
                action: deny
          - name: customer-b-dev
            subnet: 10.102.0.0/16
            policies:
              - name: allow-ssh-from-office
                direction: ingress
                protocol: tcp
                port: 22
                source: 203.0.113.0/24
                action: allow
        """;

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
