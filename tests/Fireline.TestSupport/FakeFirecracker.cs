using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fireline.TestSupport;

/// <summary>
/// A stand-in for a Firecracker process's API socket: a small HTTP/1.1 server on a Unix socket that answers as
/// Firecracker does (204 on success, 400 with <c>{"fault_message"}</c> otherwise, <c>GET /</c> with
/// <see cref="State"/>, <c>GET /vm/config</c> from what it was given), checks every body against
/// <see cref="FirecrackerSchema"/> and Firecracker's own rules (path id equals body id, pre-boot only / post-boot
/// only, MMDS interfaces that exist), and records each request.
/// </summary>
public sealed class FakeFirecracker : IDisposable
{
    public const string NotStarted = "Not started";

    private readonly Socket _listener;
    private readonly Lock _gate = new();
    private readonly List<Request> _requests = [];
    private readonly List<Socket> _connections = [];
    private readonly Dictionary<string, JsonObject> _interfaces = [];
    private readonly CancellationTokenSource _stopped = new();
    private JsonObject? _bootSource;
    private JsonObject? _mmdsConfig;

    public FakeFirecracker()
    {
        SocketPath = Path.Combine(Path.GetTempPath(), $"fakefc-{Guid.NewGuid():N}.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen();
        new Thread(Accept) { IsBackground = true, Name = "fake firecracker" }.Start();
    }

    public string SocketPath { get; }

    /// <summary>What <c>GET /</c> reports: "Not started", "Running" or "Paused".</summary>
    public string State
    {
        get { lock (_gate) { return field; } }
        set { lock (_gate) { field = value; } }
    } = NotStarted;

    /// <summary>When set, requests are read and recorded but never answered (a hung VMM).</summary>
    public bool Stalled { get; set; }

    public IReadOnlyList<Request> Requests
    {
        get { lock (_gate) { return [.. _requests]; } }
    }

    /// <summary>The interface as configured, PATCHes applied; null when there is none.</summary>
    public JsonObject? Interface(string ifaceId)
    {
        lock (_gate)
        {
            return _interfaces.TryGetValue(ifaceId, out var i) ? (JsonObject)i.DeepClone() : null;
        }
    }

    public JsonObject? BootSource
    {
        get { lock (_gate) { return (JsonObject?)_bootSource?.DeepClone(); } }
    }

    public JsonObject? MmdsConfig
    {
        get { lock (_gate) { return (JsonObject?)_mmdsConfig?.DeepClone(); } }
    }

    public void Dispose()
    {
        _stopped.Cancel();
        _listener.Dispose();
        lock (_gate)
        {
            _connections.ForEach(c => c.Dispose());
        }

        File.Delete(SocketPath);
    }

    private void Accept()
    {
        while (!_stopped.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_gate)
            {
                _connections.Add(connection);
            }

            new Thread(() => Serve(connection)) { IsBackground = true, Name = "fake firecracker connection" }.Start();
        }
    }

    private void Serve(Socket connection)
    {
        try
        {
            using var stream = new BufferedStream(new NetworkStream(connection, ownsSocket: true));
            while (FakeHttp.ReadRequest(stream) is { } request)
            {
                var (status, body) = Answer(request.Method, request.Path, request.Headers, request.Body);
                if (Stalled)
                {
                    _stopped.Token.WaitHandle.WaitOne();
                    return;
                }

                FakeHttp.WriteResponse(stream, status, body);
                if (request.Headers.ContainsKey("transfer-encoding"))
                {
                    // The body was not read: the rest of the connection cannot be parsed.
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the fake is being disposed.
        }
    }

    private (int Status, string? Body) Answer(string method, string path, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        (int Status, string? Body) answer;
        lock (_gate)
        {
            answer = headers.ContainsKey("transfer-encoding")
                ? Fault("Transfer-Encoding is not supported; send the body with a Content-Length")
                : Route(method, path, text);
            _requests.Add(new Request(method, path, text, answer.Status,
                answer.Status >= 400 ? JsonNode.Parse(answer.Body!)!["fault_message"]!.GetValue<string>() : null));
        }

        return answer;
    }

    private (int, string?) Route(string method, string path, string body)
    {
        const string interfaces = "/network-interfaces/";
        return (method, path) switch
        {
            ("GET", "/") => (200, new JsonObject
            {
                ["id"] = "anonymous-instance",
                ["state"] = State,
                ["vmm_version"] = "1.12.0",
                ["app_name"] = "Firecracker",
            }.ToJsonString()),
            ("GET", "/vm/config") => (200, VmConfig()),
            ("PUT", _) when path.StartsWith(interfaces, StringComparison.Ordinal) =>
                PutInterface(path[interfaces.Length..], body),
            ("PATCH", _) when path.StartsWith(interfaces, StringComparison.Ordinal) =>
                PatchInterface(path[interfaces.Length..], body),
            ("PUT", "/mmds/config") => PutMmdsConfig(body),
            ("PUT", "/boot-source") => PreBoot(body, FirecrackerSchema.BootSource, o => _bootSource = o),
            _ => Fault($"Invalid request method and/or path: {method} {path}."),
        };
    }

    private (int, string?) PutInterface(string id, string body)
        => PreBoot(body, FirecrackerSchema.NetworkInterface, config =>
        {
            var other = _interfaces.Values.FirstOrDefault(i => (string)i["iface_id"]! != id &&
                ((string)i["host_dev_name"]! == (string)config["host_dev_name"]! ||
                 (i["guest_mac"] is { } mac && (string?)config["guest_mac"] == (string)mac!)));
            if (other is not null)
            {
                return (string)other["host_dev_name"]! == (string)config["host_dev_name"]!
                    ? $"The host device name {config["host_dev_name"]} is already in use."
                    : $"The guest MAC address {config["guest_mac"]} is already in use.";
            }

            _interfaces[id] = config;
            return null;
        }, id);

    private (int, string?) PatchInterface(string id, string body)
    {
        if (State == NotStarted)
        {
            return Fault("The requested operation is not supported before starting the microVM.");
        }

        var (update, error) = Parse(body, FirecrackerSchema.PartialNetworkInterface, id);
        if (update is null)
        {
            return Fault(error!);
        }

        if (!_interfaces.TryGetValue(id, out var current))
        {
            return Fault("Invalid interface ID - not found.");
        }

        foreach (var direction in new[] { "rx_rate_limiter", "tx_rate_limiter" })
        {
            if (update[direction] is not JsonObject limiter)
            {
                continue;
            }

            // Firecracker's BucketUpdate: an absent bucket stays, size 0 or refill_time 0 removes it.
            var target = current[direction] as JsonObject ?? [];
            foreach (var bucket in new[] { "bandwidth", "ops" })
            {
                if (limiter[bucket] is not JsonObject given)
                {
                    continue;
                }

                target.Remove(bucket);
                if ((long)given["size"]! != 0 && (long)given["refill_time"]! != 0)
                {
                    target[bucket] = given.DeepClone();
                }
            }

            current[direction] = target.Count == 0 ? null : target.DeepClone();
        }

        return (204, null);
    }

    private (int, string?) PutMmdsConfig(string body)
        => PreBoot(body, FirecrackerSchema.MmdsConfig, config =>
        {
            var ids = config["network_interfaces"]!.AsArray().Select(n => (string)n!).ToList();
            if (ids.Count == 0)
            {
                return "The list of network interface IDs that allow forwarding MMDS requests is empty.";
            }

            if (ids.Any(i => !_interfaces.ContainsKey(i)))
            {
                return "The list of network interface IDs provided contains at least one ID that does not correspond to any existing network interface.";
            }

            if (config["ipv4_address"] is { } address &&
                !(System.Net.IPAddress.Parse((string)address!).GetAddressBytes() is [169, 254, >= 1 and <= 254, _]))
            {
                return "The MMDS IPv4 address is not link local.";
            }

            _mmdsConfig = config;
            return null;
        });

    /// <summary>A pre-boot PUT: refused once started, checked against its schema, then handed to <paramref name="apply"/>.</summary>
    private (int, string?) PreBoot(string body, FirecrackerSchema.Node schema, Func<JsonObject, string?> apply, string? pathId = null)
    {
        if (State != NotStarted)
        {
            return Fault("The requested operation is not supported after starting the microVM.");
        }

        var (config, error) = Parse(body, schema, pathId);
        return config is null ? Fault(error!) : apply(config) is { } refusal ? Fault(refusal) : (204, null);
    }

    private (int, string?) PreBoot(string body, FirecrackerSchema.Node schema, Action<JsonObject> store)
        => PreBoot(body, schema, config =>
        {
            store(config);
            return null;
        });

    private static (JsonObject? Config, string? Error) Parse(string body, FirecrackerSchema.Node schema, string? pathId)
    {
        if (body.Length == 0)
        {
            return (null, "Empty request body.");
        }

        JsonElement json;
        try
        {
            json = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException e)
        {
            return (null, $"An error occurred when deserializing the json body of a request: {e.Message}.");
        }

        if (FirecrackerSchema.Check(json, schema) is { } error)
        {
            return (null, $"An error occurred when deserializing the json body of a request: {error}.");
        }

        if (pathId is not null)
        {
            if (pathId.Length == 0 || !pathId.All(c => c == '_' || char.IsLetterOrDigit(c)))
            {
                return (null, "API Resource IDs can only contain alphanumeric characters and underscores.");
            }

            var bodyId = json.GetProperty("iface_id").GetString();
            if (bodyId != pathId)
            {
                return (null, $"The id from the path [{pathId}] does not match the id from the body [{bodyId}]!");
            }
        }

        return (JsonNode.Parse(body)!.AsObject(), null);
    }

    private string VmConfig()
    {
        var config = new JsonObject
        {
            // Before one is set, Firecracker reports its default BootSourceConfig, field for field as serde writes it
            // (src/vmm/src/vmm_config/boot_source.rs; expected in src/vmm/src/device_manager/persist.rs's tests).
            ["boot-source"] = _bootSource?.DeepClone() ?? new JsonObject { ["kernel_image_path"] = "", ["initrd_path"] = null, ["boot_args"] = null },
            ["drives"] = new JsonArray(),
            ["machine-config"] = new JsonObject { ["vcpu_count"] = 1, ["mem_size_mib"] = 128, ["smt"] = false, ["track_dirty_pages"] = false },
            ["network-interfaces"] = new JsonArray([.. _interfaces.Values.Select(i => i.DeepClone())]),
            ["mmds-config"] = _mmdsConfig?.DeepClone(),
        };
        return config.ToJsonString();
    }

    private static (int, string?) Fault(string message)
        => (400, new JsonObject { ["fault_message"] = message }.ToJsonString());

    /// <summary>A request as received, with the status and fault message it was answered with.</summary>
    public sealed record Request(string Method, string Path, string Body, int Status, string? FaultMessage)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    }
}
