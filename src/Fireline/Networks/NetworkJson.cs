using System.Text.Json;
using Fireline.Documents;
using Fireline.Errors;
using Fireline.State;

namespace Fireline.Networks;

/// <summary>
/// A network as the JSON a <c>PUT /v1/networks/NAME</c> body holds (the networks file's field names), written from
/// a validated network and read back only through the same parser and validator as such a body: a cluster's
/// definition in etcd is this text, so what another node (or whoever writes to etcd) put there is never trusted.
/// </summary>
public static class NetworkJson
{
    /// <summary>Every field written out, defaults too, so a reader never depends on this version's defaults.</summary>
    public static byte[] Write(NetworkSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", spec.Name);
            writer.WriteString("subnet", spec.Subnet.ToString());
            writer.WriteString("bridge", spec.Bridge);
            writer.WriteBoolean("nat", spec.Nat);
            writer.WriteStartArray("dns");
            foreach (var server in spec.Dns)
            {
                writer.WriteStringValue(server);
            }

            writer.WriteEndArray();
            if (spec.Ipv6 is { } ipv6)
            {
                writer.WriteString("ipv6", ipv6.ToString());
            }

            if (spec.Vlan is { } vlan)
            {
                writer.WriteNumber("vlan", vlan);
            }

            writer.WriteString("gateway", Name(NetworkFileParser.GatewayNames, spec.GatewayOutside));
            writer.WritePropertyName("policies");
            new PolicyListJsonConverter().Write(writer, spec.Policies, new JsonSerializerOptions()); // the converter reads no option
            writer.WriteString("defaultIngress", Name(NetworkFileParser.ActionNames, spec.DefaultIngress));
            writer.WriteString("defaultEgress", Name(NetworkFileParser.ActionNames, spec.DefaultEgress));
            writer.WriteString("rateLimiter", Name(NetworkFileParser.RateLimiterNames, spec.RateLimiter));
            writer.WriteBoolean("metadata", spec.Metadata);
            writer.WriteNumber("pool", spec.Pool);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The network <paramref name="json"/> holds, parsed and validated as an API body is; throws invalid-argument
    /// when it is not JSON of one network named <paramref name="name"/>, or one the validator refuses.
    /// </summary>
    public static NetworkFile Read(ReadOnlyMemory<byte> json, string name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            throw DomainErrors.InvalidInput("network", $"not JSON: {error.Message}");
        }

        using (document)
        {
            if (BoundedJson.Load(document.RootElement, "network") is not DocumentMap network)
            {
                throw DomainErrors.InvalidInput("network", "not a JSON object");
            }

            var file = NetworkFile.FromNetwork(network);
            return file.Networks[0].Name == name
                ? file
                : throw DomainErrors.InvalidInput("name", $"name {UserText.Quote(file.Networks[0].Name)} differs from the key's {UserText.Quote(name)}");
        }
    }

    /// <summary>A value's name as the parser reads it, from the parser's own table.</summary>
    private static string Name<T>((string Name, T Value)[] names, T value) => names.First(n => EqualityComparer<T>.Default.Equals(n.Value, value)).Name;
}
