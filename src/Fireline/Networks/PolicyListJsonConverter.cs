using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fireline.Documents;
using Fireline.Policy;

namespace Fireline.Networks;

/// <summary>
/// A <c>policies</c> list in an API body, in the form a network's rules take (<c>port: "8000-8100"</c>,
/// <c>protocol: any</c>): read through <see cref="VmPolicyDocument"/> (the network's parser and validator; an
/// unknown key or a bad value is invalid-argument naming <c>policies[1].port</c>) and written back in that form.
/// </summary>
public sealed class PolicyListJsonConverter : JsonConverter<IReadOnlyList<PolicyRule>>
{
    public override IReadOnlyList<PolicyRule> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return VmPolicyDocument.ParseList(BoundedJson.Load(document.RootElement, "policies"));
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<PolicyRule> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var rule in value)
        {
            writer.WriteStartObject();
            writer.WriteString("name", rule.Name);
            writer.WriteString("direction", rule.Direction == PolicyDirection.Ingress ? "ingress" : "egress");
            writer.WriteString("protocol", rule.Protocol ?? "any");
            if (rule.PortFrom is { } from)
            {
                var to = rule.PortTo ?? from;
                writer.WriteString("port", from == to ? from.ToString(CultureInfo.InvariantCulture) : $"{from}-{to}");
            }

            if (rule.Source is { } source)
            {
                writer.WriteString("source", source);
            }

            if (rule.Destination is { } destination)
            {
                writer.WriteString("destination", destination);
            }

            writer.WriteString("action", rule.Action == PolicyAction.Allow ? "allow" : "deny");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
