using System.CommandLine;

namespace Fireline.Cli;

/// <summary>Builds the command tree and runs it; exit codes: 0 success, 1 operation error, 2 bad usage or input.</summary>
internal static class CliApplication
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("Fireline: networking for Firecracker microVMs");
        return root.Parse(args).Invoke();
    }
}
