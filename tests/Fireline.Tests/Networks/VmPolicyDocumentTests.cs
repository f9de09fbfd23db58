using System.Text.Json;
using Fireline.Errors;
using Fireline.Networks;
using Fireline.Policy;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Tests.Networks;

/// <summary>A VM's own rules as written: the network's form, parser and checks, from YAML or an API body.</summary>
public sealed class VmPolicyDocumentTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };

    [Fact]
    public void Reads_a_policies_list_as_a_network_writes_it_in_canonical_form()
    {
        var rules = VmPolicyDocument.ParseYaml("""
            policies:
              - {name: web, direction: ingress, protocol: tcp, port: "8000-8100", source: 203.0.113.7, action: allow}
              - {name: quiet, direction: egress, protocol: any, destination: "FD00:0101::/64", action: deny}
            """);

        Assert.Equal(
            [
                new PolicyRule { Name = "web", Direction = PolicyDirection.Ingress, Protocol = "tcp", PortFrom = 8000, PortTo = 8100, Source = "203.0.113.7/32", Action = PolicyAction.Allow },
                new PolicyRule { Name = "quiet", Direction = PolicyDirection.Egress, Destination = "fd00:101::/64", Action = PolicyAction.Deny },
            ], rules);
    }

    [Theory]
    [InlineData("policies: [{name: a, direction: ingress, protocol: tcp, port: 0, action: allow}]", "policies[0].port", "out of range")]
    [InlineData("policies: [{name: a, direction: ingress, protocol: tcp, port: x, action: allow}]", "policies[0].port", "not a port")]
    [InlineData("policies: [{name: a, direction: ingress, action: allow, prot: tcp}]", "policies[0].prot", "unknown key")]
    [InlineData("policies: [{name: a, direction: ingress, action: allow}, {name: a, direction: egress, action: deny}]", "policies[1].name", "earlier rule")]
    [InlineData("policies: [{name: a, direction: in, action: allow}]", "policies[0].direction", "")]
    [InlineData("policies: [{name: a, direction: ingress, destination: 010.1.1.1, action: allow}]", "policies[0].destination", "")]
    [InlineData("policies: {name: a}", "policies", "a list of rules")]
    [InlineData("policy: []", "policy", "unknown key")]
    [InlineData("{}", "policies", "'policies' is required")]
    public void A_bad_rule_is_refused_naming_its_field(string yaml, string field, string said)
    {
        var error = Assert.Throws<FirelineException>(() => VmPolicyDocument.ParseYaml(yaml));

        Assert.Equal(("invalid-argument", field), (error.Code, error.Field));
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_list_is_no_rules()
        => Assert.Empty(VmPolicyDocument.ParseYaml("policies: []"));

    [Fact]
    public void A_create_body_reads_its_policies_in_the_networks_form_and_writes_them_back_in_it()
    {
        var request = JsonSerializer.Deserialize<VmCreateRequest>(
            """{"network":"default","policies":[{"name":"web","direction":"ingress","protocol":"tcp","port":80,"action":"allow"},{"name":"r","direction":"egress","port":"53-54","protocol":"udp","action":"deny"}]}""", Json)!;

        Assert.Equal([(80, 80), (53, 54)], request.Policies!.Select(r => (r.PortFrom!.Value, r.PortTo!.Value)));
        var written = JsonSerializer.Serialize(request, Json);
        Assert.Contains("""{"name":"web","direction":"ingress","protocol":"tcp","port":"80","action":"allow"}""", written, StringComparison.Ordinal);
        Assert.Equal(request.Policies, JsonSerializer.Deserialize<VmCreateRequest>(written, Json)!.Policies);
    }

    [Fact]
    public void A_create_body_with_a_bad_rule_is_refused_naming_the_field()
    {
        var error = Assert.Throws<FirelineException>(() => JsonSerializer.Deserialize<VmCreateRequest>(
            """{"policies":[{"name":"web","direction":"ingress","protocol":"tcp","port":99999,"action":"allow"}]}""", Json));

        Assert.Equal("policies[0].port", error.Field);
    }

    [Fact]
    public void State_written_before_per_vm_policies_reads_as_none_and_options_compare_rules_by_value()
    {
        var old = JsonSerializer.Deserialize("""{"ipv6":true,"tapOwner":5}""", StateJson.Default.VmOptions)!;
        var rules = VmPolicyDocument.ParseYaml("policies: [{name: a, direction: ingress, action: deny}]");

        Assert.Null(old.Policies);
        Assert.Equal(new VmOptions { Ipv6 = true, TapOwner = 5 }, old);
        Assert.Equal(old with { Policies = rules }, old with { Policies = [.. VmPolicyDocument.ParseYaml("policies: [{name: a, direction: ingress, action: deny}]")] });
        Assert.NotEqual(old with { Policies = rules }, old);
        var stored = JsonSerializer.Serialize(old with { Policies = rules }, StateJson.Default.VmOptions);
        Assert.Equal(old with { Policies = rules }, JsonSerializer.Deserialize(stored, StateJson.Default.VmOptions));
    }
}
