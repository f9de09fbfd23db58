using System.Text.Json;
using Fireline.Attachments;

namespace Fireline.Cni;

/// <summary>
/// The ADD result, in the shape of the request's spec version, and as firecracker-go-sdk's <c>cni/vmconf</c> takes it:
/// the host veth; the veth end named <c>CNI_IFNAME</c> and the TAP, both with <c>sandbox</c> = the namespace's path; a
/// pseudo-interface named like the TAP with <c>sandbox</c> = <c>CNI_CONTAINERID</c> and <c>mac</c> = the guest's MAC
/// (the only one anti-spoofing lets through). Exactly one IPv4 entry, pointing at the pseudo-interface, with its
/// gateway (the SDK refuses a second address on it); a dual-stack VM's IPv6 goes on the veth end's entry. A previous
/// plugin's result (<c>prevResult</c>) comes first, as it was; Fireline's interfaces and addresses follow it.
/// </summary>
internal static class CniResult
{
    public static void WriteAdd(Utf8JsonWriter json, CniVersion version, AttachmentRecord record, JsonElement? previous)
    {
        var attachment = record.Attachment;
        json.WriteStartObject();
        json.WriteString("cniVersion", version.Text);
        var first = Count(previous, "interfaces");
        json.WriteStartArray("interfaces");
        Copy(json, previous, "interfaces");
        Interface(json, record.HostVeth, null, null);
        Interface(json, attachment.IfName, null, attachment.Netns);
        Interface(json, attachment.TapName, null, attachment.Netns);
        Interface(json, attachment.TapName, record.GuestMac, attachment.ContainerId);
        json.WriteEndArray();

        json.WriteStartArray("ips");
        Copy(json, previous, "ips");
        Ip(json, version, "4", record.Ipv4, first + 3);
        if (record.Ipv6 is { } ipv6)
        {
            Ip(json, version, "6", ipv6, first + 1);
        }

        json.WriteEndArray();

        json.WriteStartArray("routes");
        Copy(json, previous, "routes");
        Route(json, "0.0.0.0/0", record.Ipv4.Gateway);
        if (record.Ipv6 is { } v6)
        {
            Route(json, "::/0", v6.Gateway);
        }

        json.WriteEndArray();
        if (record.Dns.Count > 0)
        {
            json.WriteStartObject("dns");
            json.WriteStartArray("nameservers");
            foreach (var server in record.Dns)
            {
                json.WriteStringValue(server);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
        else if (previous is { } prev && prev.TryGetProperty("dns", out var dns))
        {
            json.WritePropertyName("dns");
            dns.WriteTo(json);
        }

        json.WriteEndObject();
    }

    /// <summary>VERSION's answer: the version asked in, and every version the plugin speaks.</summary>
    public static void WriteVersion(Utf8JsonWriter json, string asked)
    {
        json.WriteStartObject();
        json.WriteString("cniVersion", asked);
        json.WriteStartArray("supportedVersions");
        foreach (var version in CniVersion.Supported)
        {
            json.WriteStringValue(version);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The spec's error: <c>{cniVersion, code, msg, details?}</c>.</summary>
    public static void WriteError(Utf8JsonWriter json, string version, CniException error)
    {
        json.WriteStartObject();
        json.WriteString("cniVersion", version);
        json.WriteNumber("code", error.Code);
        json.WriteString("msg", error.Message);
        if (error.Details is { } details)
        {
            json.WriteString("details", details);
        }

        json.WriteEndObject();
    }

    private static void Interface(Utf8JsonWriter json, string name, string? mac, string? sandbox)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        if (mac is not null)
        {
            json.WriteString("mac", mac);
        }

        if (sandbox is not null)
        {
            json.WriteString("sandbox", sandbox);
        }

        json.WriteEndObject();
    }

    private static void Ip(Utf8JsonWriter json, CniVersion version, string family, Vms.IpConfig ip, int interfaceIndex)
    {
        json.WriteStartObject();
        if (version.IpsCarryVersion)
        {
            json.WriteString("version", family);
        }

        json.WriteString("address", $"{ip.Address}/{ip.PrefixLength}");
        json.WriteString("gateway", ip.Gateway);
        json.WriteNumber("interface", interfaceIndex);
        json.WriteEndObject();
    }

    private static void Route(Utf8JsonWriter json, string destination, string gateway)
    {
        json.WriteStartObject();
        json.WriteString("dst", destination);
        json.WriteString("gw", gateway);
        json.WriteEndObject();
    }

    private static int Count(JsonElement? previous, string key)
        => previous is { ValueKind: JsonValueKind.Object } prev && prev.TryGetProperty(key, out var items) && items.ValueKind == JsonValueKind.Array ? items.GetArrayLength() : 0;

    private static void Copy(Utf8JsonWriter json, JsonElement? previous, string key)
    {
        if (Count(previous, key) > 0)
        {
            foreach (var item in previous!.Value.GetProperty(key).EnumerateArray())
            {
                item.WriteTo(json);
            }
        }
    }
}
