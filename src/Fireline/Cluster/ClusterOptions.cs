using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Fireline.Errors;

namespace Fireline.Cluster;

/// <summary>
/// How this node joins a cluster: the etcd members it talks to, its name among the nodes, and the address other nodes
/// reach it at on the underlay (its VXLAN tunnel endpoint). Built only through <see cref="Parse"/>, so every value is
/// checked once, at the edge, and a bad one is refused with the field it came from before anything starts.
/// </summary>
public sealed partial record ClusterOptions
{
    /// <summary>The lease the node's liveness key lives under: a stopped node disappears within this time.</summary>
    public static readonly TimeSpan DefaultLeaseTtl = TimeSpan.FromSeconds(5);

    private ClusterOptions(IReadOnlyList<Uri> endpoints, string node, IPAddress underlayAddress)
    {
        Endpoints = endpoints;
        Node = node;
        UnderlayAddress = underlayAddress;
    }

    public IReadOnlyList<Uri> Endpoints { get; }

    public string Node { get; }

    public IPAddress UnderlayAddress { get; }

    public TimeSpan LeaseTtl { get; init; } = DefaultLeaseTtl;

    /// <summary>
    /// How long a node must have been gone (no lease) before the others reclaim its address blocks: at least the
    /// address cooldown by default, so an address of a gone node's VM rests as long as a released one. Shorter only in
    /// tests (<see cref="ReclaimVariable"/>).
    /// </summary>
    public TimeSpan BlockReclaimAfter { get; private init; } = ClusterBlocks.DefaultCooldown;

    /// <summary>The environment variable that sets <see cref="BlockReclaimAfter"/> in seconds (the fault tests shorten it).</summary>
    public const string ReclaimVariable = "FIRELINE_CLUSTER_RECLAIM_SECONDS";

    /// <summary>
    /// These options with <see cref="BlockReclaimAfter"/> from <paramref name="seconds"/>: whole seconds, at least two
    /// lease periods (a node must be seen gone, not merely between keep-alives) and at most a day.
    /// </summary>
    public ClusterOptions WithBlockReclaimAfter(string seconds, string field)
    {
        var least = (int)(2 * LeaseTtl.TotalSeconds);
        return int.TryParse(seconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= least && value <= 86_400
            ? this with { BlockReclaimAfter = TimeSpan.FromSeconds(value) }
            : throw DomainErrors.InvalidInput(field, $"{field}: {UserText.Quote(seconds)} is not a number of seconds from {least} to 86400 (how long a node is gone before its address blocks are reclaimed)");
    }

    /// <summary>The field names a caller reports problems under (the flags, or the configuration file's keys).</summary>
    public sealed record Fields(string Endpoints, string Node, string UnderlayAddress);

    public static readonly Fields Flags = new("--cluster-etcd", "--node", "--underlay-address");

    /// <summary>
    /// The three settings together: none of them means single-host mode (null); some but not all is an error naming
    /// the missing one, since a node half-configured for a cluster must not start as a single host.
    /// </summary>
    public static ClusterOptions? Parse(string? endpoints, string? node, string? underlayAddress, Fields fields)
    {
        if (endpoints is null && node is null && underlayAddress is null)
        {
            return null;
        }

        return new ClusterOptions(
            ParseEndpoints(endpoints ?? throw Missing(fields.Endpoints, fields), fields.Endpoints),
            ParseNode(node ?? throw Missing(fields.Node, fields), fields.Node),
            ParseUnderlay(underlayAddress ?? throw Missing(fields.UnderlayAddress, fields), fields.UnderlayAddress));
    }

    private static FirelineException Missing(string field, Fields fields)
        => DomainErrors.InvalidInput(field, $"{field} is missing: a cluster node needs all of {fields.Endpoints}, {fields.Node} and {fields.UnderlayAddress}");

    private static List<Uri> ParseEndpoints(string text, string field)
    {
        var endpoints = new List<Uri>();
        foreach (var part in text.Split(','))
        {
            var item = part.Trim();
            if (!Uri.TryCreate(item, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort && !item.Contains(":" + uri.Port, StringComparison.Ordinal)
                || uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" || uri.Fragment.Length > 0)
            {
                throw DomainErrors.InvalidInput(field, $"{field}: {UserText.Quote(item)} is not an etcd client URL (http://HOST:PORT or https://HOST:PORT, e.g. http://10.0.0.1:2379)");
            }

            endpoints.Add(uri);
        }

        return endpoints;
    }

    private static string ParseNode(string text, string field)
        => NodeName().IsMatch(text)
            ? text
            : throw DomainErrors.InvalidInput(field, $"{field}: {UserText.Quote(text)} is not a node name (1-63 of a-z, 0-9 and '-', starting with a letter or digit)");

    private static IPAddress ParseUnderlay(string text, string field)
    {
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork || text.Contains('/', StringComparison.Ordinal))
        {
            throw DomainErrors.InvalidInput(field, $"{field}: {UserText.Quote(text)} is not an IPv4 address (the VXLAN tunnel endpoint other nodes reach)");
        }

        var first = address.GetAddressBytes()[0];
        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.Broadcast) || first >= 224
            ? throw DomainErrors.InvalidInput(field, $"{field}: {address} cannot be a tunnel endpoint (loopback, unspecified, multicast or broadcast)")
            : address;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NodeName();
}
