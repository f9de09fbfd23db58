using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Fireline.Cli.Daemon;

/// <summary>
/// A response body written once and sent as often as asked, with its length. Held in pieces below the large-object
/// threshold (85,000 bytes): a list of 10,000 VM records is 5 MB, and one array of that size, with the doubling buffers
/// that build it, would sit in the large-object heap until a full collection (measured: the daemon's RSS went from 70 to
/// 212 MB over 40 lists).
/// </summary>
internal sealed class JsonBody : IResult, IBufferWriter<byte>
{
    private const int PieceSize = 64 * 1024;
    private const string ContentType = "application/json; charset=utf-8";
    private readonly List<(byte[] Bytes, int Used)> _pieces = [];
    private long _length;

    private JsonBody()
    {
    }

    public static JsonBody Of<T>(T value, JsonTypeInfo<T> type)
    {
        var body = new JsonBody();
        using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = type.Options.Encoder, Indented = type.Options.WriteIndented, SkipValidation = true }))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        return body;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = ContentType;
        response.ContentLength = _length;
        foreach (var (bytes, used) in _pieces)
        {
            await response.Body.WriteAsync(bytes.AsMemory(0, used), httpContext.RequestAborted).ConfigureAwait(false);
        }
    }

    public void Advance(int count)
    {
        var (bytes, used) = _pieces[^1];
        _pieces[^1] = (bytes, used + count);
        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Current(sizeHint).AsMemory(_pieces[^1].Used);

    public Span<byte> GetSpan(int sizeHint = 0) => Current(sizeHint).AsSpan(_pieces[^1].Used);

    /// <summary>The last piece, or a new one when it has less than <paramref name="sizeHint"/> bytes (at least one) left.</summary>
    private byte[] Current(int sizeHint)
    {
        var wanted = Math.Max(sizeHint, 1);
        if (_pieces.Count == 0 || _pieces[^1].Bytes.Length - _pieces[^1].Used < wanted)
        {
            _pieces.Add((new byte[Math.Max(wanted, PieceSize)], 0));
        }

        return _pieces[^1].Bytes;
    }
}
