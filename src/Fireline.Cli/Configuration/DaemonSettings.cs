using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using Fireline.Cli.Commands;
using Fireline.Cluster;
using Fireline.Errors;
using Fireline.Host;
using Fireline.Linux;
using Fireline.Networks;

namespace Fireline.Cli.Configuration;

/// <summary>
/// What <c>fireline serve</c> runs with, each setting from the first of: flag, environment variable, configuration
/// file, default. Everything is checked here, before the daemon takes the state directory: a bad setting is
/// bad input (exit 2) and changes nothing.
/// </summary>
internal sealed record DaemonSettings
{
    public required string StateDirectory { get; init; }

    public string? HostNamespace { get; init; }

    public required string Socket { get; init; }

    /// <summary>The group given access to the socket; null: the socket is root's only.</summary>
    public uint? SocketGroup { get; init; }

    /// <summary>The TCP listener's address; null: none (the default).</summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>The bearer token the TCP listener requires (UTF-8); set exactly when <see cref="Listen"/> is.</summary>
    public byte[]? Token { get; init; }

    /// <summary>A TCP listener that serves <c>GET /metrics</c> only, without a token (Prometheus scrapes); null: none.</summary>
    public IPEndPoint? MetricsListen { get; init; }

    public bool JsonLogs { get; init; }

    /// <summary>The configuration file's <c>host:</c> section, applied at start-up.</summary>
    public HostInitRequest? Host { get; init; }

    /// <summary>The cluster this node joins; null: single-host mode.</summary>
    public ClusterOptions? Cluster { get; init; }

    /// <summary>The configuration file's <c>networks:</c> section, applied at start-up (no prune).</summary>
    public NetworkFile? Networks { get; init; }

    public static DaemonSettings Resolve(ParseResult parse)
    {
        var common = Settings.Resolve(parse);
        var file = common.Config;
        var listen = Settings.Pick(parse, ServeCommand.Listen, "FIRELINE_LISTEN", file?.Listen);
        var tokenFile = Settings.Pick(parse, ServeCommand.TokenFile, "FIRELINE_TOKEN_FILE", file?.TokenFile);
        var group = Settings.Pick(parse, ServeCommand.SocketGroup, "FIRELINE_SOCKET_GROUP", file?.SocketGroup);
        var metricsListen = Settings.Pick(parse, ServeCommand.MetricsListen, "FIRELINE_METRICS_LISTEN", file?.MetricsListen);
        var logFormat = Settings.Pick(parse, ServeCommand.LogFormat, "FIRELINE_LOG_FORMAT", file?.LogFormat) ?? "text";
        if (logFormat is not ("text" or "json"))
        {
            throw DomainErrors.InvalidInput("--log-format", $"--log-format is text or json, not '{logFormat}'");
        }

        var cluster = ClusterOf(parse, file);
        NetworkFile? networks = null;
        if (file?.Networks is { } section)
        {
            try
            {
                networks = NetworkFile.FromList(section);
            }
            catch (FirelineException error)
            {
                throw DomainErrors.InvalidInput("config", $"config {file.Path}: networks: {error.Message}");
            }
        }

        return new DaemonSettings
        {
            StateDirectory = common.StateDirectory,
            HostNamespace = common.HostNamespace,
            Socket = common.Socket ?? GlobalOptions.DefaultSocket,
            SocketGroup = group is null ? null : GroupId(group),
            Listen = listen is null ? null : Endpoint(listen, "--listen"),
            Token = listen is null ? null : ReadToken(tokenFile),
            MetricsListen = metricsListen is null ? null : Endpoint(metricsListen, "--metrics-listen"),
            JsonLogs = logFormat == "json",
            Host = file?.Host,
            Networks = networks,
            Cluster = cluster,
        };
    }

    /// <summary>
    /// Flags (or FIRELINE_CLUSTER_ETCD, FIRELINE_NODE, FIRELINE_UNDERLAY_ADDRESS) as one set: any of them given replaces
    /// the configuration file's <c>cluster:</c> section whole, so one setting never mixes with another source's.
    /// FIRELINE_CLUSTER_RECLAIM_SECONDS, whatever the source, shortens the wait before a gone node's blocks are reclaimed.
    /// </summary>
    private static ClusterOptions? ClusterOf(ParseResult parse, ConfigFile? file)
    {
        var etcd = Settings.Pick(parse, ServeCommand.ClusterEtcd, "FIRELINE_CLUSTER_ETCD", null);
        var node = Settings.Pick(parse, ServeCommand.Node, "FIRELINE_NODE", null);
        var underlay = Settings.Pick(parse, ServeCommand.UnderlayAddress, "FIRELINE_UNDERLAY_ADDRESS", null);
        var cluster = etcd is null && node is null && underlay is null
            ? file?.Cluster
            : ClusterOptions.Parse(etcd, node, underlay, ClusterOptions.Flags);
        return cluster is not null && Environment.GetEnvironmentVariable(ClusterOptions.ReclaimVariable) is { Length: > 0 } reclaim
            ? cluster.WithBlockReclaimAfter(reclaim, ClusterOptions.ReclaimVariable)
            : cluster;
    }

    private static IPEndPoint Endpoint(string text, string option)
        => IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port != 0
            ? endpoint
            : throw DomainErrors.InvalidInput(option, $"{option} '{text}' is not ADDRESS:PORT (e.g. 127.0.0.1:7070 or [::1]:7070)");

    /// <summary>
    /// A TCP listener is never open without a token: a Unix socket has file permissions, TCP has none. The token file
    /// must be the daemon user's alone (like an ssh key): a token others can read, or its owner can replace, is no secret.
    /// </summary>
    private static byte[] ReadToken(string? path)
    {
        if (path is null)
        {
            throw DomainErrors.InvalidInput("--token-file", "--listen needs --token-file: the TCP listener only serves requests that carry the token");
        }

        string token;
        try
        {
            var status = FileStatus.Of(path);
            if (status.Owner != FileStatus.CurrentUser)
            {
                throw DomainErrors.InvalidInput("--token-file",
                    $"--token-file: {path} belongs to uid {status.Owner}, not to the daemon's user (uid {FileStatus.CurrentUser}): its owner could read or replace the token");
            }

            if (status.OpenToOthers)
            {
                throw DomainErrors.InvalidInput("--token-file",
                    $"--token-file: {path} has mode {status.OctalMode}, so group or others can read the token; run 'chmod 600 {path}'");
            }

            token = File.ReadAllText(path).Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or KernelException)
        {
            throw DomainErrors.InvalidInput("--token-file", $"--token-file: cannot read {path}: {error.Message}");
        }

        return token.Length >= 16
            ? Encoding.UTF8.GetBytes(token)
            : throw DomainErrors.InvalidInput("--token-file", $"--token-file: the token in {path} has {token.Length} characters; use at least 16 (e.g. openssl rand -hex 32)");
    }

    /// <summary>A group id, or a group name looked up in /etc/group (the daemon runs as root, before any NSS service may be up).</summary>
    private static uint GroupId(string group)
    {
        if (uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        foreach (var line in File.Exists("/etc/group") ? File.ReadLines("/etc/group") : [])
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out id))
            {
                return id;
            }
        }

        throw DomainErrors.InvalidInput("--socket-group", $"--socket-group: no group '{group}' in /etc/group (give its name or numeric id)");
    }
}
