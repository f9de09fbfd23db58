using System.CommandLine;
using Fireline.Cli.Commands;

namespace Fireline.Cli;

/// <summary>Builds the command tree and runs it; exit codes: 0 success, 1 operation error, 2 bad usage or input.</summary>
internal static class CliApplication
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("Fireline: networking for Firecracker microVMs");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(HostCommands.Create());
        root.Subcommands.Add(VmCommands.Create());
        root.Subcommands.Add(NetworkCommands.Create());
        root.Subcommands.Add(ReconcileCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(Demo.DemoCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ClusterCommands.Create());

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return CommandRunner.Usage(parse, "arguments", string.Join("; ", parse.Errors.Select(e => e.Message)));
        }

        return parse.Invoke();
    }
}
