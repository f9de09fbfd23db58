using System.Text.Json;
using Fireline.Linux;

namespace Fireline.TestSupport;

/// <summary>
/// The definitions of Firecracker's API schema (src/firecracker/swagger/firecracker.yaml) that Fireline sends,
/// written out by hand, and a checker that refuses a body the way Firecracker's deserializer does: a missing
/// required field, a wrong type, a value out of range, an unknown field. Stricter than Firecracker in one place:
/// every object refuses unknown fields, where some Firecracker versions ignore them inside a token bucket.
/// </summary>
public static class FirecrackerSchema
{
    public static readonly Node TokenBucket = Object("TokenBucket", ["size", "refill_time"],
        ("size", Integer(minimum: 0)),
        ("one_time_burst", Integer(minimum: 0)),
        ("refill_time", Integer(minimum: 0)));

    public static readonly Node RateLimiter = Object("RateLimiter", [],
        ("bandwidth", TokenBucket),
        ("ops", TokenBucket));

    public static readonly Node NetworkInterface = Object("NetworkInterface", ["iface_id", "host_dev_name"],
        ("iface_id", String()),
        ("host_dev_name", String()),
        ("guest_mac", String(format: v => MacAddress.TryParse(v, out _) ? null : "a MAC address")),
        ("mtu", Integer(minimum: 68, maximum: 65535)),
        ("rx_rate_limiter", RateLimiter),
        ("tx_rate_limiter", RateLimiter));

    public static readonly Node PartialNetworkInterface = Object("PartialNetworkInterface", ["iface_id"],
        ("iface_id", String()),
        ("rx_rate_limiter", RateLimiter),
        ("tx_rate_limiter", RateLimiter));

    public static readonly Node MmdsConfig = Object("MmdsConfig", ["network_interfaces"],
        ("version", String(allowed: ["V1", "V2"])),
        ("network_interfaces", new Node(Kind.Array) { Items = String() }),
        ("ipv4_address", String(format: v => System.Net.IPAddress.TryParse(v, out var a) && a.ToString() == v ? null : "an IPv4 address")),
        ("imds_compat", new Node(Kind.Boolean)));

    public static readonly Node BootSource = Object("BootSource", ["kernel_image_path"],
        ("kernel_image_path", String()),
        ("boot_args", String()),
        ("initrd_path", String()));

    public enum Kind
    {
        Object,
        Array,
        String,
        Integer,
        Boolean,
    }

    /// <summary>One schema node; only the members of its kind are set.</summary>
    public sealed record Node(Kind Kind)
    {
        public string Name { get; init; } = "";

        public IReadOnlyDictionary<string, Node> Properties { get; init; } = new Dictionary<string, Node>();

        public IReadOnlySet<string> Required { get; init; } = new HashSet<string>();

        public Node? Items { get; init; }

        public IReadOnlyList<string>? Allowed { get; init; }

        /// <summary>Returns what a string should have been, or null when it is fine.</summary>
        public Func<string, string?>? Format { get; init; }

        public long Minimum { get; init; } = long.MinValue;

        public long Maximum { get; init; } = long.MaxValue;
    }

    /// <summary>The first way <paramref name="value"/> breaks <paramref name="schema"/>, naming the field; null if none.</summary>
    public static string? Check(JsonElement value, Node schema, string at = "")
    {
        var where = at.Length == 0 ? "" : $" at `{at}`";
        switch (schema.Kind)
        {
            case Kind.Object when value.ValueKind == JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    var field = Join(at, property.Name);
                    if (!schema.Properties.TryGetValue(property.Name, out var child))
                    {
                        return $"unknown field `{field}`, expected one of {string.Join(", ", schema.Properties.Keys.Select(k => $"`{k}`"))}";
                    }

                    // serde reads null as None for an optional field, and refuses it for a required one.
                    if (property.Value.ValueKind == JsonValueKind.Null && !schema.Required.Contains(property.Name))
                    {
                        continue;
                    }

                    if (Check(property.Value, child, field) is { } error)
                    {
                        return error;
                    }
                }

                var missing = schema.Required.FirstOrDefault(r => !value.TryGetProperty(r, out _));
                return missing is null ? null : $"missing field `{Join(at, missing)}`";
            case Kind.Array when value.ValueKind == JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Check(item, schema.Items!, $"{at}[{index++}]") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case Kind.String when value.ValueKind == JsonValueKind.String:
                var text = value.GetString()!;
                if (schema.Allowed is { } allowed && !allowed.Contains(text))
                {
                    return $"unknown variant `{text}`{where}, expected one of {string.Join(", ", allowed.Select(a => $"`{a}`"))}";
                }

                return schema.Format?.Invoke(text) is { } expected ? $"invalid value: string \"{text}\"{where}, expected {expected}" : null;
            case Kind.Integer when value.ValueKind == JsonValueKind.Number:
                if (!value.TryGetInt64(out var number))
                {
                    return $"invalid type: floating point or out-of-range number `{value.GetRawText()}`{where}, expected an integer";
                }

                return number < schema.Minimum || number > schema.Maximum
                    ? $"invalid value: integer `{number}`{where}, expected {schema.Minimum} to {schema.Maximum}"
                    : null;
            case Kind.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return null;
            default:
                return $"invalid type: {value.ValueKind.ToString().ToLowerInvariant()}{where}, expected {Expected(schema)}";
        }
    }

    private static string Expected(Node schema) => schema.Kind switch
    {
        Kind.Object => $"struct {schema.Name}",
        Kind.Array => "a sequence",
        Kind.String => "a string",
        Kind.Integer => "an integer",
        _ => "a boolean",
    };

    private static string Join(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";

    private static Node Object(string name, string[] required, params (string Name, Node Schema)[] properties)
        => new(Kind.Object)
        {
            Name = name,
            Properties = properties.ToDictionary(p => p.Name, p => p.Schema),
            Required = required.ToHashSet(),
        };

    private static Node String(IReadOnlyList<string>? allowed = null, Func<string, string?>? format = null)
        => new(Kind.String) { Allowed = allowed, Format = format };

    private static Node Integer(long minimum = long.MinValue, long maximum = long.MaxValue)
        => new(Kind.Integer) { Minimum = minimum, Maximum = maximum };
}
