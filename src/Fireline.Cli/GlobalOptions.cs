using System.CommandLine;
using Fireline.Cli.Output;

namespace Fireline.Cli;

/// <summary>The options every command takes (DESIGN.md, "Contracts").</summary>
internal static class GlobalOptions
{
    public const string DefaultStateDirectory = "/var/lib/fireline";
    public const string DefaultSocket = "/run/fireline/fireline.sock";
    public const string DefaultConfig = "/etc/fireline/fireline.yaml";

    // No default value here: Settings tells a flag given from one left out (then the environment and the
    // configuration file have their say) and applies the default last.
    public static readonly Option<string?> StateDirectory = new("--state-dir")
    {
        Description = $"Where Fireline keeps its state (SQLite database and lock); default {DefaultStateDirectory}",
        HelpName = "DIR",
        Recursive = true,
    };

    public static readonly Option<string?> HostNamespace = new("--host-netns")
    {
        Description = "The network namespace (name under /var/run/netns, or path) that plays the host; default: this process's own",
        HelpName = "NAME|PATH",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = $"Configuration file (default {DefaultConfig}, optional)",
        HelpName = "FILE",
        Recursive = true,
    };

    public static readonly Option<string?> Socket = new("--socket")
    {
        Description = $"Talk to a running daemon on this Unix socket instead of working in-process ('serve': the socket to listen on, default {DefaultSocket})",
        HelpName = "PATH",
        Recursive = true,
    };

    public static readonly Option<OutputFormat?> Output = new("--output", "-o")
    {
        Description = "Output format: json or table (default: table on a terminal, json otherwise)",
        HelpName = "json|table",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(StateDirectory);
        root.Options.Add(HostNamespace);
        root.Options.Add(Config);
        root.Options.Add(Socket);
        root.Options.Add(Output);
    }

    public static OutputFormat FormatOf(ParseResult parse)
        => parse.GetValue(Output) ?? (Console.IsOutputRedirected ? OutputFormat.Json : OutputFormat.Table);
}
