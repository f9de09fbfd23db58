using Fireline.Cluster;
using Fireline.Documents;
using Fireline.Errors;
using Fireline.Host;

namespace Fireline.Cli.Configuration;

/// <summary>
/// <c>/etc/fireline/fireline.yaml</c> (or <c>--config FILE</c>): host settings and the networks the daemon
/// ensures at start-up. Strict like the networks file: an unknown key is an error naming it and its line, so a
/// typo never silently leaves a default in place. Read with YamlDotNet's representation model (no reflection).
/// </summary>
/// <example>
/// stateDir: /var/lib/fireline
/// socket: /run/fireline/fireline.sock
/// socketGroup: fireline
/// logFormat: json
/// host: { uplink: eth0 }
/// cluster: { etcd: "http://10.0.0.1:2379,http://10.0.0.2:2379", node: node-a, underlayAddress: 10.0.0.11 }
/// networks:
///   - name: tenant-a
///     subnet: 10.200.0.0/24
/// </example>
internal sealed record ConfigFile
{
    private static readonly string[] Keys = ["stateDir", "hostNetns", "socket", "socketGroup", "listen", "tokenFile", "metricsListen", "logFormat", "host", "cluster", "networks"];
    private static readonly string[] ClusterKeys = ["etcd", "node", "underlayAddress"];
    private static readonly string[] HostKeys = ["uplink", "bridge", "subnet", "nat"];

    public required string Path { get; init; }

    public string? StateDir { get; init; }

    public string? HostNetns { get; init; }

    public string? Socket { get; init; }

    public string? SocketGroup { get; init; }

    public string? Listen { get; init; }

    public string? TokenFile { get; init; }

    public string? MetricsListen { get; init; }

    public string? LogFormat { get; init; }

    /// <summary>The <c>host:</c> section: <c>host init</c> options the daemon applies at start-up (idempotent).</summary>
    public HostInitRequest? Host { get; init; }

    /// <summary>The <c>cluster:</c> section (checked: bad values name their key); null: single-host mode.</summary>
    public ClusterOptions? Cluster { get; init; }

    /// <summary>
    /// The <c>networks:</c> section's value as read, for <see cref="Fireline.Networks.NetworkFile.FromList"/>: its
    /// problems name this file's lines.
    /// </summary>
    public DocumentNode? Networks { get; init; }

    public static ConfigFile Load(string path)
    {
        string? text;
        try
        {
            text = DocumentFile.Read(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, $"cannot read it: {error.Message}");
        }

        if (text is null)
        {
            throw Invalid(path, DocumentFile.TooLarge(path));
        }

        DocumentNode? document;
        try
        {
            document = BoundedYaml.Load(text);
        }
        catch (FirelineException error)
        {
            throw Invalid(path, error.Message);
        }

        if (document is null)
        {
            return new ConfigFile { Path = path };
        }

        if (document is not DocumentMap root)
        {
            throw Invalid(path, "the file must hold one YAML mapping (stateDir, socket, networks, ...)");
        }

        CheckKeys(path, root, Keys, "");
        return new ConfigFile
        {
            Path = path,
            StateDir = Scalar(path, root, "stateDir", ""),
            HostNetns = Scalar(path, root, "hostNetns", ""),
            Socket = Scalar(path, root, "socket", ""),
            SocketGroup = Scalar(path, root, "socketGroup", ""),
            Listen = Scalar(path, root, "listen", ""),
            TokenFile = Scalar(path, root, "tokenFile", ""),
            MetricsListen = Scalar(path, root, "metricsListen", ""),
            LogFormat = Scalar(path, root, "logFormat", ""),
            Host = HostSection(path, root),
            Cluster = ClusterSection(path, root),
            Networks = root["networks"],
        };
    }

    private static HostInitRequest? HostSection(string path, DocumentMap root)
    {
        if (root["host"] is not { } node)
        {
            return null;
        }

        if (node is not DocumentMap host)
        {
            throw Invalid(path, $"line {node.Line}: host is a mapping ({string.Join(", ", HostKeys)})");
        }

        CheckKeys(path, host, HostKeys, "host.");
        var nat = Scalar(path, host, "nat", "host.") switch
        {
            null or "true" => true,
            "false" => false,
            var other => throw Invalid(path, $"line {host["nat"]!.Line}: host.nat must be true or false, not {UserText.Quote(other)}"),
        };
        return new HostInitRequest
        {
            Uplink = Scalar(path, host, "uplink", "host."),
            Bridge = Scalar(path, host, "bridge", "host.") ?? HostInitRequest.DefaultBridge,
            Subnet = Scalar(path, host, "subnet", "host.") ?? HostInitRequest.DefaultSubnet,
            Nat = nat,
        };
    }

    private static ClusterOptions? ClusterSection(string path, DocumentMap root)
    {
        if (root["cluster"] is not { } node)
        {
            return null;
        }

        if (node is not DocumentMap cluster)
        {
            throw Invalid(path, $"line {node.Line}: cluster is a mapping ({string.Join(", ", ClusterKeys)})");
        }

        CheckKeys(path, cluster, ClusterKeys, "cluster.");
        var fields = new ClusterOptions.Fields("cluster.etcd", "cluster.node", "cluster.underlayAddress");
        var (etcd, name, underlay) = (Scalar(path, cluster, "etcd", "cluster."), Scalar(path, cluster, "node", "cluster."), Scalar(path, cluster, "underlayAddress", "cluster."));
        ClusterOptions? options;
        try
        {
            options = ClusterOptions.Parse(etcd, name, underlay, fields);
        }
        catch (FirelineException error) when (error.Kind == ErrorKind.InvalidInput)
        {
            throw Invalid(path, $"line {node.Line}: {error.Message}");
        }

        return options ?? throw Invalid(path, $"line {node.Line}: cluster needs etcd, node and underlayAddress");
    }

    private static void CheckKeys(string path, DocumentMap node, string[] allowed, string prefix)
    {
        foreach (var (key, _) in node.Entries)
        {
            if (!allowed.Contains(key.Value, StringComparer.Ordinal))
            {
                throw Invalid(path, $"line {key.Line}: unknown key {UserText.Quote(prefix + key.Value)} (known: {string.Join(", ", allowed)})");
            }
        }
    }

    private static string? Scalar(string path, DocumentMap node, string key, string prefix)
    {
        if (node[key] is not { } value)
        {
            return null;
        }

        return value is DocumentText { Value: { Length: > 0 } text }
            ? text
            : throw Invalid(path, $"line {value.Line}: {prefix}{key} must be a single value");
    }

    private static FirelineException Invalid(string path, string message) => DomainErrors.InvalidInput("config", $"config {path}: {message}");
}
