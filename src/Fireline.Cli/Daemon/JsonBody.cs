using Microsoft.AspNetCore.Http;

namespace Fireline.Cli.Daemon;

/// <summary>
/// A response body written once and sent as often as asked, with its length. Held in pieces below the large-object
/// threshold (85,000 bytes): a list of 10,000 VM records is 5 MB, and one array of that size, with the doubling buffers
/// that build it, would sit in the large-object heap until a full collection (measured: the daemon's RSS went from 70 to
/// 212 MB over 40 lists).
/// </summary>
internal sealed class JsonBody : IResult
{
    private const int PieceSize = 64 * 1024;
    private const string ContentType = "application/json; charset=utf-8";
    private readonly List<(byte[] Bytes, int Used)> _pieces = [];
    private long _length;

    private JsonBody()
    {
    }

    /// <summary>
    /// A JSON array of <paramref name="items"/>, each written as <paramref name="json"/> has it (JSON of the same
    /// options, unindented): what serialising the list would write, without serialising what the caller kept.
    /// </summary>
    public static JsonBody OfArray<T>(IReadOnlyList<T> items, Func<T, byte[]> json)
    {
        var body = new JsonBody();
        body.Append("["u8);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                body.Append(","u8);
            }

            body.Append(json(items[i]));
        }

        body.Append("]"u8);
        return body;
    }

    /// <summary>Copies <paramref name="bytes"/> after what the body holds, into new pieces as the last one fills.</summary>
    private void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_pieces.Count == 0 || _pieces[^1].Used == PieceSize)
            {
                _pieces.Add((new byte[PieceSize], 0));
            }

            var (piece, used) = _pieces[^1];
            var count = Math.Min(PieceSize - used, bytes.Length);
            bytes[..count].CopyTo(piece.AsSpan(used));
            _pieces[^1] = (piece, used + count);
            _length += count;
            bytes = bytes[count..];
        }
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
}
