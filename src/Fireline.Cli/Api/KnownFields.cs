using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Fireline.Cli.Api;

/// <summary>
/// A body's fields against the type it deserializes into, from the source-generated metadata: an unknown field is
/// refused naming it and the known ones (a typo like <c>"rateLimit"</c> never silently drops a limit), a missing
/// required one is named. Checked before the serializer runs, whose own refusal (the context's
/// <c>UnmappedMemberHandling.Disallow</c>) would not say which field in Fireline's words.
/// </summary>
internal static class KnownFields
{
    /// <summary>Throws invalid-argument naming the first bad field under <paramref name="path"/> (empty at the body).</summary>
    public static void Check(JsonElement value, JsonTypeInfo type, string path)
    {
        if (type.Kind != JsonTypeInfoKind.Object || value.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        // What a body may set: a property the serializer ignores ([JsonIgnore], read-only) is no field of it.
        var known = type.Properties.Where(p => p.Set is not null).ToList();
        foreach (var field in value.EnumerateObject())
        {
            if (!known.Any(p => p.Name == field.Name))
            {
                throw ApiErrors.UnknownField(Join(path, field.Name), known.Select(p => p.Name));
            }
        }

        if (known.FirstOrDefault(p => p.IsRequired && !value.TryGetProperty(p.Name, out _)) is { } missing)
        {
            throw ApiErrors.RequiredField(Join(path, missing.Name));
        }

        foreach (var property in known)
        {
            if (value.TryGetProperty(property.Name, out var child))
            {
                Check(child, type.Options.GetTypeInfo(property.PropertyType), Join(path, property.Name));
            }
        }
    }

    private static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";
}
