using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fireline.Addressing;
using Fireline.Linux;
using Fireline.Networks;
using Fireline.Vms;
using Google.Protobuf;

namespace Fireline.Cluster;

/// <summary>
/// One VM as the cluster sees it: which network it is in (and that network's VNI), its MAC and IPv4 address, and the
/// node, with that node's underlay address, it lives behind. What other nodes program their FDB, neighbour and
/// anti-spoofing entries from. Read from etcd only through <see cref="TryRead"/>, which checks every field, since
/// anything may have written the key.
/// </summary>
public sealed record ClusterEndpoint(string Network, string Node, string VmId, int Vni, MacAddress Mac, IPAddress Ipv4, IPAddress Underlay)
{
    private const int MaxVni = (1 << 24) - 1;

    internal static ClusterEndpoint Of(VmRecord vm, int vni, ClusterOptions node)
        => new(vm.Network, node.Node, vm.VmId, vni, MacAddress.Parse(vm.GuestMac), IPAddress.Parse(vm.Ipv4.Address), node.UnderlayAddress);

    internal ByteString Key => ClusterKeys.Endpoint(Network, Node, VmId);

    internal ByteString ToJson()
        => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(new EndpointJson(Vni, Mac.ToString(), Ipv4.ToString(), Underlay.ToString()), EndpointJsonContext.Default.EndpointJson));

    /// <summary>The endpoint a key and value describe; null for anything malformed (ignored, never programmed).</summary>
    internal static ClusterEndpoint? TryRead(ByteString key, ByteString value)
    {
        var parts = key.ToStringUtf8()[ClusterKeys.Endpoints.Length..].Split('/');
        if (parts.Length != 3 || !NetworkNames.IsValid(parts[0]) || parts[1].Length == 0 || parts[2].Length == 0)
        {
            return null;
        }

        EndpointJson? json;
        try
        {
            json = JsonSerializer.Deserialize(value.Span, EndpointJsonContext.Default.EndpointJson);
        }
        catch (JsonException)
        {
            return null;
        }

        return json is { Vni: > 0 and <= MaxVni } && MacAddress.TryParse(json.Mac, out var mac) && ParseIpv4(json.Ipv4) is { } address && ParseIpv4(json.Underlay) is { } underlay
            ? new ClusterEndpoint(parts[0], parts[1], parts[2], json.Vni, mac, address, underlay)
            : null;
    }

    private static IPAddress? ParseIpv4(string? text)
        => IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork && !text.Contains('/', StringComparison.Ordinal) ? address : null;
}

internal sealed record EndpointJson(int Vni, string Mac, string Ipv4, string Underlay);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EndpointJson))]
internal sealed partial class EndpointJsonContext : JsonSerializerContext;
