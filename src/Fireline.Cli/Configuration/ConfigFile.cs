using Fireline.Errors;
using Fireline.Host;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

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
/// networks:
///   - name: tenant-a
///     subnet: 10.200.0.0/24
/// </example>
internal sealed record ConfigFile
{
    private static readonly string[] Keys = ["stateDir", "hostNetns", "socket", "socketGroup", "listen", "tokenFile", "metricsListen", "logFormat", "host", "networks"];
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

    /// <summary>
    /// The <c>networks:</c> section as a networks file of its own, padded with blank lines so that the networks
    /// parser's line numbers are this file's.
    /// </summary>
    public string? NetworksDocument { get; init; }

    public static ConfigFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, $"cannot read it: {error.Message}");
        }

        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw Invalid(path, $"not valid YAML at line {error.Start.Line}, column {error.Start.Column}: {error.InnerException?.Message ?? error.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            return new ConfigFile { Path = path };
        }

        if (stream.Documents.Count > 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
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
            NetworksDocument = NetworksSection(text, root),
        };
    }

    private static HostInitRequest? HostSection(string path, YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("host"), out var node))
        {
            return null;
        }

        if (node is not YamlMappingNode host)
        {
            throw Invalid(path, $"line {node.Start.Line}: host is a mapping ({string.Join(", ", HostKeys)})");
        }

        CheckKeys(path, host, HostKeys, "host.");
        var nat = Scalar(path, host, "nat", "host.") switch
        {
            null or "true" => true,
            "false" => false,
            var other => throw Invalid(path, $"line {host.Children[new YamlScalarNode("nat")].Start.Line}: host.nat must be true or false, not '{other}'"),
        };
        return new HostInitRequest
        {
            Uplink = Scalar(path, host, "uplink", "host."),
            Bridge = Scalar(path, host, "bridge", "host.") ?? HostInitRequest.DefaultBridge,
            Subnet = Scalar(path, host, "subnet", "host.") ?? HostInitRequest.DefaultSubnet,
            Nat = nat,
        };
    }

    private static string? NetworksSection(string text, YamlMappingNode root)
    {
        var keys = root.Children.Keys.ToList();
        var index = keys.FindIndex(k => k is YamlScalarNode { Value: "networks" });
        if (index < 0)
        {
            return null;
        }

        if (root.Style == MappingStyle.Flow)
        {
            // A one-line mapping has no lines to keep: the section is written out anew.
            var writer = new StringWriter();
            new YamlStream(new YamlDocument(new YamlMappingNode { { "networks", root.Children[keys[index]] } })).Save(writer, assignAnchors: false);
            return writer.ToString();
        }

        // The section runs from its key to the next key of the file (or its end).
        var start = keys[index].Start;
        var end = index + 1 < keys.Count ? keys[index + 1].Start.Index : text.Length;
        return new string('\n', (int)start.Line - 1) + text[(int)start.Index..(int)end];
    }

    private static void CheckKeys(string path, YamlMappingNode node, string[] allowed, string prefix)
    {
        foreach (var key in node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw Invalid(path, $"line {key.Start.Line}: unknown key '{prefix}{name}' (known: {string.Join(", ", allowed)})");
            }
        }
    }

    private static string? Scalar(string path, YamlMappingNode node, string key, string prefix)
    {
        if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return null;
        }

        return value is YamlScalarNode { Value: { Length: > 0 } text }
            ? text
            : throw Invalid(path, $"line {value.Start.Line}: {prefix}{key} must be a single value");
    }

    private static FirelineException Invalid(string path, string message) => DomainErrors.InvalidInput("config", $"config {path}: {message}");
}
