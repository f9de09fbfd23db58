using System.Text.Json;
using Fireline.Attachments;
using Fireline.Vms;

namespace Fireline.Cni;

/// <summary>
/// The attachment API's documents, written with <see cref="Utf8JsonWriter"/> and read from a <see cref="JsonDocument"/>
/// rather than through the serializer: building the serializer's metadata took a tenth of every run (perf on a DEL:
/// <c>JsonSerializerOptions.GetTypeInfo</c> and the reflection under it), for five small documents read once each. A
/// document that lacks what it must have is a <see cref="JsonException"/>, which the caller reports as error 104.
/// </summary>
internal static class DaemonJson
{
    /// <summary>The body of <c>PUT /v1/attachments/{containerId}/{ifName}</c> (<see cref="AttachRequest"/>'s fields).</summary>
    public static byte[] AttachRequest(string cniNetwork, string netns, CniConfig config, string? tapName, uint? tapOwner, uint? tapGroup)
        => Write(json =>
        {
            json.WriteString("cniNetwork", cniNetwork);
            json.WriteString("netns", netns);
            json.WriteString("network", config.Network);
            if (tapName is not null)
            {
                json.WriteString("tapName", tapName);
            }

            if (tapOwner is { } owner)
            {
                json.WriteNumber("tapOwner", owner);
            }

            if (tapGroup is { } group)
            {
                json.WriteNumber("tapGroup", group);
            }

            if (config.RateLimits is { } limits)
            {
                // As the configuration has it: the daemon checks every field and names the one that is wrong.
                json.WritePropertyName("rateLimits");
                limits.WriteTo(json);
            }

            if (config.Ipv6)
            {
                json.WriteBoolean("ipv6", true);
            }
        });

    /// <summary>The body of <c>POST /v1/attachments:gc</c> (<see cref="AttachmentGcRequest"/>'s fields).</summary>
    public static byte[] GcRequest(string cniNetwork, IReadOnlyList<AttachmentKey> valid)
        => Write(json =>
        {
            json.WriteString("cniNetwork", cniNetwork);
            json.WriteStartArray("valid");
            foreach (var key in valid)
            {
                json.WriteStartObject();
                json.WriteString("containerId", key.ContainerId);
                json.WriteString("ifName", key.IfName);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });

    public static AttachmentRecord Record(JsonElement record)
    {
        var attachment = record.GetProperty("attachment");
        return new AttachmentRecord
        {
            Attachment = new Attachment
            {
                CniNetwork = Text(attachment, "cniNetwork"),
                ContainerId = Text(attachment, "containerId"),
                IfName = Text(attachment, "ifName"),
                Netns = Text(attachment, "netns"),
                TapName = Text(attachment, "tapName"),
            },
            Network = Text(record, "network"),
            HostVeth = Text(record, "hostVeth"),
            GuestMac = Text(record, "guestMac"),
            Ipv4 = Ip(record.GetProperty("ipv4")),
            Ipv6 = record.TryGetProperty("ipv6", out var ipv6) && ipv6.ValueKind == JsonValueKind.Object ? Ip(ipv6) : null,
            Dns = record.TryGetProperty("dns", out var dns) ? [.. dns.EnumerateArray().Select(s => s.GetString() ?? throw new JsonException("dns"))] : [],
        };
    }

    public static AttachmentCheck Check(JsonElement check)
        => new(Record(check.GetProperty("attachment")), [.. check.GetProperty("problems").EnumerateArray().Select(p => p.GetString() ?? "")]);

    /// <summary>What STATUS reads of <c>GET /v1/networks/{name}</c>: leases taken and addresses in all.</summary>
    public static (int Vms, long Capacity) NetworkUse(JsonElement network)
        => (network.GetProperty("vms").GetInt32(), network.GetProperty("capacity").GetInt64());

    /// <summary>What the plugin reads of the daemon's problem JSON: the stable code, kind, field and message.</summary>
    public static DaemonProblem Problem(JsonElement problem)
        => new(Optional(problem, "code"), Optional(problem, "kind"), Optional(problem, "field"), Optional(problem, "detail"));

    private static IpConfig Ip(JsonElement ip) => new(Text(ip, "address"), ip.GetProperty("prefixLength").GetInt32(), Text(ip, "gateway"));

    private static string Text(JsonElement item, string name) => item.GetProperty(name).GetString() ?? throw new JsonException($"{name} is null");

    private static string? Optional(JsonElement item, string name)
        => item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
