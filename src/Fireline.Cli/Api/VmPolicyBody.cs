using System.Text.Json.Serialization;
using Fireline.Networks;
using Fireline.Policy;

namespace Fireline.Cli.Api;

/// <summary>
/// The body of <c>PUT /v1/vms/{id}/policy</c>: <c>{policies: [...]}</c>, rules in exactly the form of a network's
/// (read by the network's parser and validator; fields named <c>policies[1].port</c>).
/// </summary>
internal sealed record VmPolicyBody
{
    [JsonConverter(typeof(PolicyListJsonConverter))]
    public required IReadOnlyList<PolicyRule> Policies { get; init; }
}
