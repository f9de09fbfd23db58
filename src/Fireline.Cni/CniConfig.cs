using System.Text.Json;
using Fireline.Attachments;

namespace Fireline.Cni;

/// <summary>
/// The network configuration on stdin, parsed once into what the verbs use (as the reference plugins'
/// <c>loadNetConf</c> does): <c>{"cniVersion", "name", "type": "fireline", "network"?, "socket"?, "tapName"?,
/// "tapOwner"?, "tapGroup"?, "rateLimits"?, "ipv6"?}</c> plus what runtimes add. A key it does not know is error 2
/// (it would otherwise be ignored without a word: an <c>ipam</c> section, say, when Fireline leases addresses itself);
/// a value of the wrong type is error 7; text that is not JSON is error 6.
/// </summary>
internal sealed record CniConfig
{
    public const string DefaultSocket = "/run/fireline/fireline.sock";
    public const string ValidAttachmentsKey = "cni.dev/valid-attachments";

    /// <summary>Keys runtimes add or the spec defines that change nothing here.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "type", "args", "runtimeConfig", "capabilities", "cniVersions", "disableCheck", "disableGC",
    };

    public required CniVersion Version { get; init; }

    /// <summary>The CNI network's name; GC and DEL are scoped to it.</summary>
    public string? Name { get; init; }

    /// <summary>The Fireline network; <c>default</c> when not named.</summary>
    public string Network { get; init; } = "default";

    /// <summary>The daemon's socket.</summary>
    public string Socket { get; init; } = DefaultSocket;

    public string? TapName { get; init; }

    public uint? TapOwner { get; init; }

    public uint? TapGroup { get; init; }

    /// <summary>The VM's rate limits as the configuration writes them (<c>{rx?, tx?}</c>): passed on, the daemon checks them.</summary>
    public JsonElement? RateLimits { get; init; }

    public bool Ipv6 { get; init; }

    /// <summary>The previous plugin's result in a chain (raw: passed through), or the ADD's result on CHECK and DEL.</summary>
    public JsonElement? PrevResult { get; init; }

    /// <summary>GC's <c>cni.dev/valid-attachments</c>; null when the key is absent.</summary>
    public IReadOnlyList<AttachmentKey>? ValidAttachments { get; init; }

    /// <summary>Just the version, for VERSION: any text that says one, whatever else it holds.</summary>
    public static string? PeekVersion(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("cniVersion", out var version) &&
                version.ValueKind == JsonValueKind.String ? version.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static CniConfig Parse(byte[] bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException error)
        {
            throw new CniException(CniCodes.DecodeFailure, "the network configuration is not JSON", error.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CniException(CniCodes.DecodeFailure, "the network configuration is not a JSON object");
            }

            var version = root.TryGetProperty("cniVersion", out var v) ? CniVersion.Parse(Text(v, "cniVersion")) : throw Invalid("cniVersion", "it is missing");
            var config = new CniConfig { Version = version };
            foreach (var property in root.EnumerateObject())
            {
                config = property.Name switch
                {
                    "cniVersion" => config,
                    "name" => config with { Name = Text(property.Value, "name") },
                    "network" => config with { Network = Text(property.Value, "network") },
                    "socket" => config with { Socket = SocketPath(Text(property.Value, "socket")) },
                    "tapName" => config with { TapName = Text(property.Value, "tapName") },
                    "tapOwner" => config with { TapOwner = Id(property.Value, "tapOwner") },
                    "tapGroup" => config with { TapGroup = Id(property.Value, "tapGroup") },
                    "rateLimits" => config with { RateLimits = Limits(property.Value) },
                    "ipv6" => config with { Ipv6 = Flag(property.Value, "ipv6") },
                    "prevResult" => config with { PrevResult = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.Clone() },
                    ValidAttachmentsKey => config with { ValidAttachments = Attachments(property.Value) },
                    _ when Ignored.Contains(property.Name) => config,
                    _ => throw new CniException(CniCodes.UnsupportedField, $"unsupported field {CniEnvironment.Quote(property.Name)}",
                        $"{property.Name}: {Excerpt(property.Value)}; Fireline takes network, socket, tapName, tapOwner, tapGroup, rateLimits and ipv6 (it leases addresses itself: no ipam)"),
                };
            }

            return config;
        }
    }

    /// <summary>The CNI network's name, which ADD, DEL, CHECK and GC need.</summary>
    public string RequireName() => Name ?? throw Invalid("name", "it is missing");

    private static string Text(JsonElement value, string key)
        => value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : throw Invalid(key, "expected a non-empty string");

    private static bool Flag(JsonElement value, string key)
        => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Invalid(key, "expected true or false");

    private static uint Id(JsonElement value, string key)
        => value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var id) ? id : throw Invalid(key, "expected a user or group id (0-4294967295)");

    private static string SocketPath(string path)
        => path.StartsWith('/') ? path : throw Invalid("socket", $"{CniEnvironment.Quote(path)} is not an absolute path");

    private static JsonElement Limits(JsonElement value)
        => value.ValueKind == JsonValueKind.Object ? value.Clone() : throw Invalid("rateLimits", "expected an object {rx?, tx?}");

    private static List<AttachmentKey> Attachments(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(ValidAttachmentsKey, "expected an array of {containerID, ifname}");
        }

        return [.. value.EnumerateArray().Select(item =>
            item.ValueKind == JsonValueKind.Object && item.TryGetProperty("containerID", out var id) && item.TryGetProperty("ifname", out var ifName)
                ? new AttachmentKey(Text(id, ValidAttachmentsKey + ".containerID"), Text(ifName, ValidAttachmentsKey + ".ifname"))
                : throw Invalid(ValidAttachmentsKey, "expected an array of {containerID, ifname}"))];
    }

    private static string Excerpt(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 80 ? text : text[..80] + "...";
    }

    private static CniException Invalid(string key, string why) => new(CniCodes.InvalidConfig, $"invalid network configuration: {key}", $"{key}: {why}");
}
