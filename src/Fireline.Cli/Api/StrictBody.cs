using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fireline.Cli.Api;

/// <summary>
/// A request body that refuses what it does not know: an unknown field is an error naming it, so a typo
/// (<c>"rateLimit"</c>) never silently drops a limit. Fields are optional to the serializer and checked here,
/// so every refusal says which field and why in Fireline's words.
/// </summary>
internal abstract class StrictBody
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }

    /// <summary>Throws invalid-argument naming the first bad field under <paramref name="path"/>.</summary>
    public abstract void Validate(string path);

    protected void RefuseUnknown(string path, params string[] known)
    {
        if (Unknown is { Count: > 0 })
        {
            throw ApiErrors.UnknownField(Join(path, Unknown.Keys.First()), known);
        }
    }

    protected static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";
}
