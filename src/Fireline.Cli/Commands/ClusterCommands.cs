using System.CommandLine;
using Fireline.Cli.Client;
using Fireline.Cli.Configuration;
using Fireline.Cli.Output;
using Fireline.Cluster;

namespace Fireline.Cli.Commands;

/// <summary>
/// <c>fireline cluster status</c>: the cluster's nodes and their liveness. Through <c>--socket</c> the daemon answers;
/// without it the command reads etcd itself, with the configuration file's <c>cluster:</c> section.
/// </summary>
internal static class ClusterCommands
{
    public static Command Create()
    {
        var status = new Command("status", "The cluster's nodes: underlay address, whether each is alive (its etcd lease is kept), the address blocks it holds");
        status.SetAction(parse => CommandRunner.Guard(parse, printer =>
        {
            printer.Print(Read(parse), CliJson.Output.ClusterStatus, Write);
            return ExitCodes.Success;
        }));
        return new Command("cluster", "The cluster this host belongs to (etcd + VXLAN)") { status };
    }

    private static ClusterStatus Read(ParseResult parse)
    {
        var settings = Settings.Resolve(parse);
        if (settings.Socket is { } socket)
        {
            using var client = new DaemonClient(socket);
            return client.GetCluster();
        }

        var options = settings.Config?.Cluster ?? throw ClusterErrors.NotClustered();
        return ClusterDirectory.ReadAsync(options).GetAwaiter().GetResult();
    }

    private static void Write(ClusterStatus status, TextWriter output)
    {
        var table = new Table("NODE", "UNDERLAY", "ALIVE", "BLOCKS");
        foreach (var node in status.Nodes)
        {
            table.Add(node.Name + (node.Name == status.Node ? " (this)" : ""), node.UnderlayAddress, node.Alive ? "yes" : "no", node.Blocks.Count == 0 ? "-" : string.Join(' ', node.Blocks));
        }

        table.WriteTo(output);
    }
}
