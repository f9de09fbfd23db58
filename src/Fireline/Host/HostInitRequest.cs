namespace Fireline.Host;

/// <summary>
/// The options of <c>fireline host init</c>, and the body of the API's <c>PUT /v1/host</c> (<c>{uplink?, bridge?,
/// subnet?, nat?, ipv6Prefix?}</c>); defaults are the design document's. Positional, so that a body leaving a field
/// out gets its default here too: the JSON source generator keeps a constructor parameter's default, not an
/// initializer's (dotnet/runtime#84484).
/// </summary>
/// <param name="Uplink">The interface NAT goes out of; null: the default route's interface.</param>
/// <param name="Bridge">The default network's bridge.</param>
/// <param name="Subnet">The default network's subnet.</param>
/// <param name="Nat">Masquerade the default network out of the uplink.</param>
/// <param name="Ipv6Prefix">An IPv6 prefix (/48-/96) that makes the default network dual stack; null leaves it as it is.</param>
public sealed record HostInitRequest(
    string? Uplink = null,
    string Bridge = HostInitRequest.DefaultBridge,
    string Subnet = HostInitRequest.DefaultSubnet,
    bool Nat = true,
    string? Ipv6Prefix = null)
{
    public const string DefaultBridge = "br-vms";
    public const string DefaultSubnet = "10.100.0.0/16";
}
