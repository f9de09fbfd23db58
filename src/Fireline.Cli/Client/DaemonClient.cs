using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fireline.Cli.Api;
using Fireline.Cli.Output;
using Fireline.Cluster;
using Fireline.Doctor;
using Fireline.Metrics;
using Fireline.Tuning;
using Fireline.Errors;
using Fireline.Host;
using Fireline.Networks;
using Fireline.Policy;
using Fireline.Reconciliation;
using Fireline.Service;
using Fireline.Vms;

namespace Fireline.Cli.Client;

/// <summary>
/// <see cref="IFirelineService"/> over the daemon's Unix socket: each call is one HTTP exchange on a kept-alive
/// connection. Results come back as the domain's records and problems as the same <see cref="FirelineException"/>
/// the engine throws, so a command prints the same output, error and exit code as it does in-process.
/// </summary>
internal sealed class DaemonClient : IFirelineService, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient _http;

    public DaemonClient(string socketPath)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, cancel) => ConnectAsync(socketPath, cancel),
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        // The host name only fills the Host header; the connection always goes to the socket.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://localhost/"), Timeout = Timeout };
    }

    public string SocketPath { get; }

    public HostStatus InitHost(HostInitRequest request)
        => Send(HttpMethod.Put, ApiPaths.Host, Body(request, ApiRequestJson.Default.HostInitRequest), CliJson.Output.HostStatus);

    public HostStatus GetHostStatus() => Send(HttpMethod.Get, ApiPaths.Host, null, CliJson.Output.HostStatus);

    public VmRecord CreateVm(VmCreateRequest request)
        => Send(HttpMethod.Put, ApiPaths.Vm(request.VmId), Body(request, ApiRequestJson.Default.VmCreateRequest), CliJson.Output.VmRecord);

    public VmDeleteResult DeleteVm(string vmId) => Send(HttpMethod.Delete, ApiPaths.Vm(vmId), null, CliJson.Output.VmDeleteResult);

    public VmRecord GetVm(string vmId) => Send(HttpMethod.Get, ApiPaths.Vm(vmId), null, CliJson.Output.VmRecord);

    public IReadOnlyList<VmRecord> ListVms() => Send(HttpMethod.Get, ApiPaths.Vms, null, CliJson.Output.IReadOnlyListVmRecord);

    public VmRecord SetRateLimits(string vmId, RateLimits? limits)
        => Send(HttpMethod.Patch, ApiPaths.Vm(vmId) + "/rate-limits", Body(limits ?? new RateLimits(), ApiRequestJson.Default.RateLimits), CliJson.Output.VmRecord);

    public VmRecord SetVmPolicies(string vmId, IReadOnlyList<PolicyRule> rules)
        => rules.Count == 0
            ? Send(HttpMethod.Delete, ApiPaths.VmPolicy(vmId), null, CliJson.Output.VmRecord)
            : Send(HttpMethod.Put, ApiPaths.VmPolicy(vmId), Body(new VmPolicyBody { Policies = rules }, ApiRequestJson.Default.VmPolicyBody), CliJson.Output.VmRecord);

    public PortForward ForwardPort(string vmId, ForwardRequest request)
        => Send(HttpMethod.Post, ApiPaths.Vm(vmId) + "/forwards", Body(request, ApiRequestJson.Default.ForwardRequest), CliJson.Output.PortForward);

    /// <summary>The file's text goes to the daemon, which reads and validates it again: it trusts no client.</summary>
    public NetworkPlan ApplyNetworks(NetworkFile file, bool dryRun, bool prune)
        => Send(HttpMethod.Post, ApiPaths.NetworksApply,
            Body(new NetworkApplyBody { Document = file.Text ?? throw new ArgumentException("only a networks file read from text travels to the daemon", nameof(file)), DryRun = dryRun, Prune = prune }, ApiRequestJson.Default.NetworkApplyBody), CliJson.Output.NetworkPlan);

    public IReadOnlyList<NetworkView> ListNetworks() => Send(HttpMethod.Get, ApiPaths.Networks, null, CliJson.Output.IReadOnlyListNetworkView);

    public NetworkView GetNetwork(string name) => Send(HttpMethod.Get, NetworkPath(name), null, CliJson.Output.NetworkView);

    public NetworkView DeleteNetwork(string name) => Send(HttpMethod.Delete, NetworkPath(name), null, CliJson.Output.NetworkView);

    public ReconcileReport Reconcile() => Send(HttpMethod.Post, ApiPaths.Reconcile, null, CliJson.Output.ReconcileReport);

    public VmStats GetStats(string vmId) => Send(HttpMethod.Get, ApiPaths.VmStats(vmId), null, CliJson.Output.VmStats);

    public IReadOnlyList<VmStats> ListStats() => Send(HttpMethod.Get, ApiPaths.Stats, null, CliJson.Output.IReadOnlyListVmStats);

    public DoctorReport Doctor(string? vmId) => Send(HttpMethod.Get, ApiPaths.DoctorOf(vmId), null, CliJson.Output.DoctorReport);

    /// <summary>
    /// The daemon diffs and applies; the file, when asked for, is written here, by the CLI's own process with its
    /// own rights, since the API names no files (see <see cref="TuneBody"/>).
    /// </summary>
    public TuneReport Tune(bool apply, bool write)
    {
        var report = Send(HttpMethod.Post, ApiPaths.Tune, Body(new TuneBody { Apply = apply }, ApiRequestJson.Default.TuneBody), CliJson.Output.TuneReport);
        return write ? report with { File = TuningFile.Write(TuningFile.SystemDirectory, report.Settings) } : report;
    }

    /// <summary><c>GET /v1/cluster</c> (not part of <see cref="IFirelineService"/>: only a daemon is a cluster node).</summary>
    public ClusterStatus GetCluster() => Send(HttpMethod.Get, ApiPaths.Cluster, null, CliJson.Output.ClusterStatus);

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// No network can have a name outside the naming rules, so the engine would answer "no network" for it: that
    /// answer is given here, since such a name (empty, or with a '/') has no faithful URL.
    /// </summary>
    private static string NetworkPath(string name)
        => NetworkNames.IsValid(name) ? ApiPaths.Network(name) : throw DomainErrors.NetworkNotFound(name);

    private static ByteArrayContent Body<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = JsonType;
        return content;
    }

    private T Send<T>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<T> type)
    {
        var what = $"{method} {path}";
        using var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = _http.Send(request);
        }
        catch (HttpRequestException error)
        {
            throw ApiErrors.DaemonUnreachable(SocketPath, Reason(error));
        }
        catch (TaskCanceledException error) when (error.InnerException is TimeoutException)
        {
            throw ApiErrors.DaemonUnreachable(SocketPath, $"no answer to {what} within {Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            byte[] bytes;
            try
            {
                bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            }
            catch (HttpRequestException error)
            {
                throw ApiErrors.DaemonUnreachable(SocketPath, $"the answer to {what} was cut off: {error.Message}");
            }

            try
            {
                if (!response.IsSuccessStatusCode)
                {
                    var problem = JsonSerializer.Deserialize(bytes, ApiJson.Default.ProblemDocument) ?? throw new JsonException("null");
                    throw ProblemMapping.ToException(problem, (int)response.StatusCode);
                }

                return JsonSerializer.Deserialize(bytes, type) ?? throw new JsonException("null");
            }
            catch (JsonException error)
            {
                throw ApiErrors.UnexpectedAnswer(what, $"HTTP {(int)response.StatusCode}, {error.Path ?? "$"}: {Excerpt(bytes)}");
            }
        }
    }

    private static async ValueTask<Stream> ConnectAsync(string socketPath, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Reason(HttpRequestException error)
        => error.InnerException switch
        {
            SocketException { SocketErrorCode: SocketError.AddressNotAvailable } => "no such socket (is 'fireline serve' running with this --socket?)",
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused (the socket exists, but no daemon listens on it)",
            SocketException { SocketErrorCode: SocketError.AccessDenied } => "permission denied (the socket is for root and its group)",
            SocketException socket => socket.Message,
            _ => error.Message,
        };

    private static string Excerpt(byte[] bytes)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200)).Trim();
        return text.Length == 0 ? "(empty body)" : text;
    }
}
