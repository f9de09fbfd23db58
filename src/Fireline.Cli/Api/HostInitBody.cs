using Fireline.Host;

namespace Fireline.Cli.Api;

/// <summary>The body of <c>PUT /v1/host</c>: <c>{uplink?, bridge?, subnet?, nat?, ipv6Prefix?}</c>, the options of <c>fireline host init</c>.</summary>
internal sealed class HostInitBody : StrictBody
{
    public string? Uplink { get; init; }

    public string? Bridge { get; init; }

    public string? Subnet { get; init; }

    public bool? Nat { get; init; }

    public string? Ipv6Prefix { get; init; }

    public override void Validate(string path) => RefuseUnknown(path, "uplink", "bridge", "subnet", "nat", "ipv6Prefix");

    public HostInitRequest ToRequest() => new()
    {
        Uplink = Uplink,
        Bridge = Bridge ?? HostInitRequest.DefaultBridge,
        Subnet = Subnet ?? HostInitRequest.DefaultSubnet,
        Nat = Nat ?? true,
        Ipv6Prefix = Ipv6Prefix,
    };

    public static HostInitBody From(HostInitRequest request)
        => new() { Uplink = request.Uplink, Bridge = request.Bridge, Subnet = request.Subnet, Nat = request.Nat, Ipv6Prefix = request.Ipv6Prefix };
}
