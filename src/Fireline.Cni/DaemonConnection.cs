using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Fireline.Cni;

/// <summary>
/// The daemon's API over its Unix socket, one request per verb. A daemon that cannot be reached is CNI error 11 (try
/// again later; nothing was changed: the daemon does an ADD whole or not at all), or 50 for STATUS; the daemon's
/// problems become CNI errors by their stable code (<see cref="ToCni"/>).
/// </summary>
/// <remarks>
/// One HTTP/1.0 exchange on a fresh connection, written and read here rather than through HttpClient: its
/// set-up cost the plugin 20 ms a run (measured: a refused ADD took 36 ms against 13 ms for VERSION), more than the
/// whole ADD is allowed. HTTP/1.0 keeps the reading trivial: the daemon answers with the whole body and closes, so
/// there is no chunked encoding and no keep-alive to handle.
/// </remarks>
internal sealed class DaemonConnection(string socketPath, int unreachableCode)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The largest answer read: an attachment or a GC's list is a few KiB.</summary>
    private const int MaxAnswer = 4 * 1024 * 1024;

    /// <summary>One request; the answer's JSON read by <paramref name="read"/>, or a problem as a CNI error.</summary>
    public T Send<T>(string method, string path, byte[]? body, Func<JsonElement, T> read)
    {
        var (status, bytes) = Exchange(method, path, body);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return status is >= 200 and <= 299 ? read(document.RootElement) : throw ToCni(DaemonJson.Problem(document.RootElement), status);
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CniException(CniCodes.Internal, "the Fireline daemon answered what the plugin cannot read", $"{method} {path}: HTTP {status}: {error.Message}");
        }
    }

    private (int Status, byte[] Body) Exchange(string method, string path, byte[]? body)
    {
        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.0\r\nHost: localhost\r\nAccept: application/json\r\n");
        if (body is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");
        byte[] answer;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.ReceiveTimeout = socket.SendTimeout = (int)Timeout.TotalMilliseconds;
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Send(Encoding.ASCII.GetBytes(head.ToString()));
            if (body is not null)
            {
                socket.Send(body);
            }

            answer = ReadToEnd(socket);
        }
        catch (SocketException error)
        {
            throw new CniException(unreachableCode, "the Fireline daemon is unreachable",
                $"{socketPath}: {error.Message} (is 'fireline serve' running with this socket?)");
        }

        return Parse(answer, $"{method} {path}");
    }

    private static byte[] ReadToEnd(Socket socket)
    {
        var answer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = socket.Receive(chunk)) > 0)
        {
            answer.Write(chunk, 0, read);
            if (answer.Length > MaxAnswer)
            {
                throw new CniException(CniCodes.Internal, "the Fireline daemon's answer is too large", $"more than {MaxAnswer} bytes");
            }
        }

        return answer.ToArray();
    }

    /// <summary>The status code and body of a whole HTTP/1.x answer.</summary>
    internal static (int Status, byte[] Body) Parse(byte[] answer, string what)
    {
        var end = answer.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = end < 0 ? "" : Encoding.ASCII.GetString(answer, 0, end);
        var statusLine = head.Split("\r\n")[0].Split(' ');
        if (end < 0 || statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal) ||
            !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new CniException(CniCodes.TryAgainLater, "the Fireline daemon's answer was cut off", $"{what}: no complete HTTP answer (the daemon stopped?)");
        }

        if (head.Contains("\r\nTransfer-Encoding:", StringComparison.OrdinalIgnoreCase))
        {
            throw new CniException(CniCodes.Internal, "the Fireline daemon answered in a form the plugin does not read", $"{what}: a chunked answer to an HTTP/1.0 request");
        }

        return (status, answer[(end + 4)..]);
    }

    /// <summary>
    /// A daemon problem as a CNI error: bad names from the environment are error 4 naming the variable, other bad input
    /// and an unknown network error 7, a missing attachment error 3, an uninitialised or busy host error 11; conflicts,
    /// exhaustion and kernel failures get Fireline's codes (100-102). The daemon's message is the details.
    /// </summary>
    public static CniException ToCni(DaemonProblem? problem, int status)
    {
        var detail = problem?.Detail ?? $"HTTP {status}";
        return (problem?.Code, problem?.Kind, problem?.Field) switch
        {
            (_, "invalid-input", "containerId") => new CniException(CniCodes.InvalidEnvironment, "invalid CNI_CONTAINERID", detail),
            (_, "invalid-input", "ifName") => new CniException(CniCodes.InvalidEnvironment, "invalid CNI_IFNAME", detail),
            (_, "invalid-input", "netns") => new CniException(CniCodes.InvalidEnvironment, "invalid CNI_NETNS", detail),
            (_, "invalid-input", _) or ("network-not-found", _, _) => new CniException(CniCodes.InvalidConfig, "invalid network configuration", detail),
            ("attachment-not-found", _, _) => new CniException(CniCodes.UnknownContainer, "no such attachment", detail),
            (_, "unavailable", _) => new CniException(CniCodes.TryAgainLater, "Fireline cannot serve this now", detail),
            (_, "conflict", _) => new CniException(CniCodes.Conflict, "conflict with Fireline's state", detail),
            (_, "exhausted", _) => new CniException(CniCodes.Exhausted, "no room on the network", detail),
            (_, "kernel", _) => new CniException(CniCodes.Kernel, "the kernel refused an operation", detail),
            _ => new CniException(CniCodes.Internal, "the Fireline daemon failed", detail),
        };
    }
}
