using System.CommandLine;
using Fireline.Cli.Configuration;
using Fireline.Cli.Daemon;

namespace Fireline.Cli.Commands;

/// <summary>
/// <c>fireline serve</c>: the daemon. Its options also come from the environment (<c>FIRELINE_*</c>) and the
/// configuration file; <see cref="DaemonSettings"/> says which wins.
/// </summary>
internal static class ServeCommand
{
    public static readonly Option<string?> SocketGroup = new("--socket-group")
    {
        Description = "Group (name or id) given read/write access to the socket (mode 0660); default: root's only",
        HelpName = "GROUP",
    };

    public static readonly Option<string?> Listen = new("--listen")
    {
        Description = "Also listen on TCP at this address (needs --token-file: every request then carries the bearer token)",
        HelpName = "ADDR:PORT",
    };

    public static readonly Option<string?> TokenFile = new("--token-file")
    {
        Description = "File holding the bearer token the TCP listener requires",
        HelpName = "FILE",
    };

    public static readonly Option<string?> MetricsListen = new("--metrics-listen")
    {
        Description = "Serve GET /metrics (Prometheus text, no token) on this TCP address too; nothing else is served there",
        HelpName = "ADDR:PORT",
    };

    public static readonly Option<string?> LogFormat = new("--log-format")
    {
        Description = "Log lines as text (default) or json (one JSON object per line)",
        HelpName = "text|json",
    };

    public static readonly Option<string?> ClusterEtcd = new("--cluster-etcd")
    {
        Description = "Join a cluster: its etcd members' client URLs, comma-separated (needs --node and --underlay-address)",
        HelpName = "URL[,URL...]",
    };

    public static readonly Option<string?> Node = new("--node")
    {
        Description = "This node's name in the cluster (a-z, 0-9, '-'; unique among live nodes)",
        HelpName = "NAME",
    };

    public static readonly Option<string?> UnderlayAddress = new("--underlay-address")
    {
        Description = "This node's IPv4 address on the network between the nodes (its VXLAN tunnel endpoint)",
        HelpName = "IP",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Run the daemon: the API on a Unix socket (reconciles first; stopping it leaves every VM's network in place)")
            { SocketGroup, Listen, TokenFile, MetricsListen, LogFormat, ClusterEtcd, Node, UnderlayAddress };
        // DaemonHost is reached only from here: the other commands never load ASP.NET Core.
        command.SetAction(parse => CommandRunner.Guard(parse, _ => DaemonHost.Run(DaemonSettings.Resolve(parse))));
        return command;
    }
}
