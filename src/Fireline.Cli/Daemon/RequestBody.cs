using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fireline.Cli.Api;
using Fireline.Documents;
using Fireline.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Fireline.Cli.Daemon;

/// <summary>
/// Reads a request body whole, up to <see cref="Limit"/> bytes, and checks it in three passes, each with its own
/// answer: is it JSON at all, does it say any field twice, are the values of the right types and the fields known.
/// A refused body has changed nothing: it is read and checked before the engine is called.
/// </summary>
internal static class RequestBody
{
    /// <summary>The largest body the daemon reads; the biggest real ones (a networks file) are a few KiB.</summary>
    public const int Limit = 64 * 1024;

    /// <summary>How much of a refused body the server still reads and drops (beyond it, the connection is closed).</summary>
    public const int DrainLimit = 1024 * 1024;

    /// <summary>
    /// The limit of a body that carries a networks file (<c>POST /v1/networks:apply</c>): a document of
    /// <see cref="BoundedYaml.MaxDocumentLength"/> characters as a JSON string, with room for an escape on every line.
    /// </summary>
    public const int DocumentLimit = (2 * BoundedYaml.MaxDocumentLength) + Limit;

    /// <summary>The deepest a body may nest: Fireline's deepest is four levels (<c>rateLimits.rx.bandwidth.size</c>); the rest is room.</summary>
    public const int MaxDepth = 16;

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>The body as <typeparamref name="T"/>; null when the request has no body.</summary>
    public static async Task<T?> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, int limit = Limit)
        where T : class
    {
        var bytes = await ReadBytesAsync(request, limit).ConfigureAwait(false);
        return bytes.Length == 0 ? null : Parse(bytes, type);
    }

    /// <summary>A whole body as <typeparamref name="T"/>, checked in the passes above.</summary>
    internal static T Parse<T>(byte[] bytes, JsonTypeInfo<T> type)
        where T : class
    {
        using (var document = Check(bytes))
        {
            KnownFields.Check(document.RootElement, type, "");
        }

        T? body;
        try
        {
            body = JsonSerializer.Deserialize(bytes, type);
        }
        catch (JsonException error)
        {
            var field = Field(error.Path);
            throw ApiErrors.InvalidBody(field, $"{field}: a value of the wrong type or out of range (the API is described at GET /openapi.json)");
        }

        if (body is null)
        {
            throw ApiErrors.InvalidBody("body", "null is not an object");
        }

        return body;
    }

    /// <summary>The body as a JSON document (checked for syntax and duplicate fields); null when there is none.</summary>
    public static async Task<JsonDocument?> ReadDocumentAsync(HttpRequest request)
    {
        var bytes = await ReadBytesAsync(request, Limit).ConfigureAwait(false);
        return bytes.Length == 0 ? null : Check(bytes);
    }

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit)
        {
            throw ApiErrors.BodyTooLarge(limit);
        }

        // Kestrel's own limit is the drain limit (DaemonHost); a route that takes more raises it for its request.
        if (limit > DrainLimit && request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = (long)limit + DrainLimit;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit)
                {
                    throw ApiErrors.BodyTooLarge(limit);
                }
            }
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ApiErrors.BodyTooLarge(limit);
        }

        return buffer.ToArray();
    }

    private static JsonDocument Check(byte[] bytes)
    {
        try
        {
            CheckNesting(bytes);
        }
        catch (JsonException error)
        {
            throw ApiErrors.InvalidBody("body", $"not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1})");
        }

        try
        {
            return JsonDocument.Parse(bytes, Strict);
        }
        catch (JsonException error)
        {
            throw ApiErrors.InvalidBody(Field(error.Path), "a field appears twice in one object");
        }
    }

    /// <summary>
    /// Reads the body's tokens (throwing on bad syntax) and refuses nesting deeper than <see cref="MaxDepth"/>,
    /// naming the field where it goes too deep.
    /// </summary>
    private static void CheckNesting(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        var path = new List<(bool IsObject, string Name, int Index)>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    // As written (escapes and all): a name is only shown here, and JSON's escapes can spell text that is none.
                    path[^1] = path[^1] with { Name = Encoding.UTF8.GetString(reader.ValueSpan) };
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    NextItem(path);
                    if (path.Count == MaxDepth)
                    {
                        var field = string.Concat(path.Select(p => p.IsObject ? $".{p.Name}" : $"[{p.Index}]")).TrimStart('.');
                        throw ApiErrors.InvalidBody(field, $"{UserText.Escape(field)}: nested deeper than {MaxDepth} levels");
                    }

                    path.Add((reader.TokenType == JsonTokenType.StartObject, "", -1));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    break;
                default:
                    NextItem(path);
                    break;
            }
        }

        static void NextItem(List<(bool IsObject, string Name, int Index)> path)
        {
            if (path.Count > 0 && !path[^1].IsObject)
            {
                path[^1] = path[^1] with { Index = path[^1].Index + 1 };
            }
        }
    }

    /// <summary><c>$.rateLimits.rx</c> becomes <c>rateLimits.rx</c>, the way Fireline names fields elsewhere.</summary>
    private static string Field(string? path)
        => path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
