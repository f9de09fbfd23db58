using System.Text;

namespace Fireline.TestSupport;

/// <summary>Just enough HTTP/1.1 for <see cref="FakeFirecracker"/>: keep-alive requests with Content-Length bodies.</summary>
internal static class FakeHttp
{
    internal sealed record Request(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    /// <summary>The next request on the connection; null when the client closed it.</summary>
    public static Request? ReadRequest(Stream stream)
    {
        var requestLine = ReadLine(stream);
        if (string.IsNullOrEmpty(requestLine))
        {
            return null;
        }

        var parts = requestLine.Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var line = ReadLine(stream); !string.IsNullOrEmpty(line); line = ReadLine(stream))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = new byte[headers.TryGetValue("content-length", out var length) ? int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) : 0];
        stream.ReadExactly(body);
        return new Request(parts[0], parts[1], headers, body);
    }

    public static void WriteResponse(Stream stream, int status, string? body)
    {
        var reason = status switch { 200 => "OK", 204 => "No Content", _ => "Bad Request" };
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\nServer: Firecracker API\r\nConnection: keep-alive\r\n");
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            head.Append($"Content-Type: application/json\r\nContent-Length: {bytes.Length}\r\n");
        }

        head.Append("\r\n");
        stream.Write(Encoding.ASCII.GetBytes(head.ToString()));
        stream.Write(bytes);
        stream.Flush();
    }

    private static string? ReadLine(Stream stream)
    {
        var line = new StringBuilder();
        for (var b = stream.ReadByte(); b >= 0; b = stream.ReadByte())
        {
            if (b == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)b);
        }

        return line.Length == 0 ? null : line.ToString();
    }
}
