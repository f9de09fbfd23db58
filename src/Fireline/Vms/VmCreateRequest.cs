using System.Text.Json.Serialization;

namespace Fireline.Vms;

/// <summary>
/// A request for a VM's network, and the body of the API's <c>PUT /v1/vms/{id}</c> (<c>{network?, rateLimits?, ipv6?,
/// tapOwner?, tapGroup?, sriov?, policies?}</c>; empty or <c>{}</c> asks for a VM on the default network without limits).
/// Validated by the engine, whoever sends it.
/// </summary>
public sealed record VmCreateRequest
{
    /// <summary>
    /// The id; in the API it is the path's, never the body's (so not <c>required</c>, which the serializer would demand
    /// of the body). Empty is refused as an invalid id.
    /// </summary>
    [JsonIgnore]
    public string VmId { get; init; } = "";

    /// <summary>The network to join; null means <c>default</c>.</summary>
    public string? Network { get; init; }

    /// <summary>Rate limits (rx: what the guest receives, tx: what it sends); null: unlimited.</summary>
    public RateLimits? RateLimits { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Ipv6 { get; init; }

    /// <summary>User allowed to open the TAP (a jailed Firecracker); null: root only.</summary>
    public uint? TapOwner { get; init; }

    /// <summary>Group allowed to open the TAP.</summary>
    public uint? TapGroup { get; init; }

    /// <summary>
    /// An SR-IOV VF for the VM: a physical function's name (<c>ens1f0</c>) or <c>any</c>; null: none. The VF's
    /// netdev is moved into the VM's namespace as <c>vf0</c>, next to tap0.
    /// </summary>
    public string? Sriov { get; init; }

    /// <summary>The VM's own policy rules, in a network's form, evaluated before its network's; null: none.</summary>
    [JsonConverter(typeof(Networks.PolicyListJsonConverter))]
    public IReadOnlyList<Policy.PolicyRule>? Policies { get; init; }
}
