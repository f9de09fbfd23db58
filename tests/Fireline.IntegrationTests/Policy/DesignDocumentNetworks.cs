namespace Fireline.IntegrationTests.Policy;

/// <summary>The design document's network-config.yaml, as written there (the vlan lines kept or left out).</summary>
internal static class DesignDocumentNetworks
{
    public static string Yaml(bool withVlans) => $"""
        networks:
          - name: customer-a-prod
            subnet: 10.101.0.0/16
        {(withVlans ? "    vlan: 101\n" : "")}    policies:
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
        {(withVlans ? "    vlan: 102\n" : "")}    policies:
              - name: allow-ssh-from-office
                direction: ingress
                protocol: tcp
                port: 22
                source: 203.0.113.0/24
                action: allow
        """;
}
