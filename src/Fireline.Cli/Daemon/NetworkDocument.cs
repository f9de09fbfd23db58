using System.Text.Json;
using Fireline.Cli.Api;
using Fireline.Documents;
using Fireline.Errors;
using Fireline.Networks;

namespace Fireline.Cli.Daemon;

/// <summary>
/// <c>PUT /v1/networks/{name}</c> takes one network as JSON with the field names of <c>network-config.yaml</c>.
/// It is read into the same tree a networks file is read into and parsed by the same parser, as one network named
/// by the path, so the two can never disagree on what a network may say; its fields are named as the body names
/// them (<c>subnet</c>, not <c>networks[0].subnet</c>).
/// </summary>
internal static class NetworkDocument
{
    /// <summary>The body's network, named <paramref name="name"/>, parsed and validated.</summary>
    public static NetworkFile FromJson(JsonElement body, string name)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ApiErrors.InvalidBody("body", "a network is a JSON object (subnet, policies, ...)");
        }

        // Read first: a lone surrogate or a repeated key is refused there, so the name below is text.
        var fields = (DocumentMap)BoundedJson.Load(body, "body");
        if (body.TryGetProperty("name", out var named) && !(named.ValueKind == JsonValueKind.String && named.GetString() == name))
        {
            throw ApiErrors.InvalidBody("name", $"name {UserText.Escape(named.GetRawText())} differs from the path's {UserText.Quote(name)} (leave it out, or repeat the path's)");
        }

        // The path names the network: its name goes first, as a file would write it.
        var span = new DocumentSpan(0, 0, 0);
        var network = new DocumentMap(span, [(new DocumentText(span, "name", plain: false), new DocumentText(span, name, plain: false)),
            .. fields.Entries.Where(e => e.Key.Value != "name")], flow: true);
        return NetworkFile.FromNetwork(network);
    }
}
