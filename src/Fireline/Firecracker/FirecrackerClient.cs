using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Fireline.Firecracker;

/// <summary>
/// Firecracker's HTTP API over the VMM's Unix socket (<c>--api-sock</c>). Synchronous: each call is one short
/// exchange with a local process. Input is validated before anything is sent; Firecracker's refusals come back as
/// <see cref="FirecrackerApiException"/>, a socket that does not answer as <see cref="VmmUnreachableException"/>.
/// </summary>
public sealed partial class FirecrackerClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;

    public FirecrackerClient(string socketPath, TimeSpan? timeout = null)
    {
        SocketPath = socketPath;
        Timeout = timeout ?? DefaultTimeout;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, _) => ValueTask.FromResult(Connect(socketPath)),
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        // The host name only fills the Host header; the connection always goes to the socket.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://localhost/"), Timeout = Timeout };
    }

    public string SocketPath { get; }

    public TimeSpan Timeout { get; }

    /// <summary>The instance's id, version and state. <c>curl --unix-socket S http://localhost/</c></summary>
    public InstanceInfo GetInstanceInfo() => Get("/", FirecrackerJson.Default.InstanceInfo);

    /// <summary>Creates or replaces a network interface; before boot only. <c>PUT /network-interfaces/{iface_id}</c></summary>
    public void PutNetworkInterface(NetworkInterface networkInterface)
    {
        networkInterface.Validate();
        Put(InterfacePath(networkInterface.IfaceId), networkInterface, FirecrackerJson.Default.NetworkInterface);
    }

    /// <summary>
    /// Changes a started VM's rate limiters: a null limiter or bucket stays as it is, a bucket of size 0 is removed.
    /// <c>PATCH /network-interfaces/{iface_id}</c>
    /// </summary>
    public void PatchNetworkInterface(string ifaceId, RateLimiter? rx, RateLimiter? tx)
    {
        var update = new PartialNetworkInterface { IfaceId = ifaceId, RxRateLimiter = rx, TxRateLimiter = tx };
        update.Validate();
        Send(HttpMethod.Patch, InterfacePath(ifaceId), Serialize(update, FirecrackerJson.Default.PartialNetworkInterface));
    }

    /// <summary>Sets the metadata service's version, interfaces and address; before boot only. <c>PUT /mmds/config</c></summary>
    public void PutMmdsConfig(MmdsConfig config)
    {
        config.Validate();
        Put("/mmds/config", config, FirecrackerJson.Default.MmdsConfig);
    }

    /// <summary>
    /// Sets the guest kernel and its command line; before boot only. Firecracker has no <c>GET /boot-source</c>:
    /// to add Fireline's arguments to the caller's, use <see cref="BootArgs.Merge"/> first. <c>PUT /boot-source</c>
    /// </summary>
    public void PutBootSource(BootSource source)
    {
        source.Validate();
        Put("/boot-source", source, FirecrackerJson.Default.BootSource);
    }

    /// <summary>The parts of the VMM's whole configuration that attaching needs. <c>GET /vm/config</c></summary>
    internal VmConfigView GetVmConfig() => Get("/vm/config", FirecrackerJson.Default.VmConfigView);

    /// <summary>
    /// One request with a JSON body as given, no checks on this side: what the typed calls end in, and how tests show
    /// what Firecracker does with a body the typed calls would never send.
    /// </summary>
    internal string Send(HttpMethod method, string path, byte[]? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            // ByteArrayContent sends a Content-Length: Firecracker's HTTP server does not take chunked bodies.
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = Json;
        }

        using var response = Exchange(request, $"{method} {path}");
        var text = ReadBody(response, $"{method} {path}");
        if (!response.IsSuccessStatusCode)
        {
            throw new FirecrackerApiException(response.StatusCode, method.Method, path, FaultMessage(text));
        }

        return text;
    }

    public void Dispose() => _http.Dispose();

    private static Stream Connect(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private HttpResponseMessage Exchange(HttpRequestMessage request, string what)
    {
        try
        {
            return _http.Send(request);
        }
        catch (HttpRequestException e)
        {
            throw new VmmUnreachableException(SocketPath, Reason(e, what), e);
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new VmmUnreachableException(SocketPath, $"no answer to {what} within {Timeout.TotalSeconds:0.###} s", e);
        }
    }

    private string ReadBody(HttpResponseMessage response, string what)
    {
        try
        {
            using var reader = new StreamReader(response.Content.ReadAsStream(), Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (IOException e)
        {
            throw new VmmUnreachableException(SocketPath, $"the answer to {what} was cut off: {e.Message}", e);
        }
    }

    private static string Reason(HttpRequestException e, string what)
        => e.InnerException switch
        {
            SocketException { SocketErrorCode: SocketError.AddressNotAvailable } => "no such socket (is Firecracker running with this --api-sock?)",
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused (the socket exists, but no Firecracker is listening on it)",
            SocketException { SocketErrorCode: SocketError.AccessDenied } => "permission denied",
            SocketException socket => socket.Message,
            _ => $"{what} failed: {e.Message}",
        };

    /// <summary>Firecracker's <c>fault_message</c>; the raw text when the body is not Firecracker's error JSON.</summary>
    private static string FaultMessage(string body)
    {
        try
        {
            var fault = JsonSerializer.Deserialize(body, FirecrackerJson.Default.FirecrackerFault);
            if (fault?.FaultMessage is { } message)
            {
                return message;
            }
        }
        catch (JsonException)
        {
            // Not Firecracker's error JSON (a proxy, a crash): the raw text below says more than a parse error.
        }

        return body.Length == 0 ? "(no error message)" : body.Trim();
    }

    private T Get<T>(string path, JsonTypeInfo<T> type)
    {
        var body = Send(HttpMethod.Get, path, null);
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new FirecrackerApiException(HttpStatusCode.OK, "GET", path, $"unexpected answer ({e.Message}): {body}");
        }
    }

    private void Put<T>(string path, T body, JsonTypeInfo<T> type) => Send(HttpMethod.Put, path, Serialize(body, type));

    private static byte[] Serialize<T>(T body, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(body, type);

    private static string InterfacePath(string ifaceId) => "/network-interfaces/" + Uri.EscapeDataString(ifaceId);
}
