using System.CommandLine;

namespace Fireline.Cli.Configuration;

/// <summary>
/// Where a command finds its state, host namespace and daemon. Each setting comes from the first of: the
/// command-line flag, the environment variable (<c>FIRELINE_*</c>), the configuration file, the default.
/// </summary>
internal sealed record Settings
{
    public const string ConfigVariable = "FIRELINE_CONFIG";

    public required string StateDirectory { get; init; }

    /// <summary>The host namespace's name or path; null: the process's own.</summary>
    public string? HostNamespace { get; init; }

    /// <summary>The daemon's socket; null: work in-process (every command but <c>serve</c>).</summary>
    public string? Socket { get; init; }

    /// <summary>The configuration file, when there is one.</summary>
    public ConfigFile? Config { get; init; }

    public static Settings Resolve(ParseResult parse)
    {
        var config = LoadConfig(parse);
        return new Settings
        {
            StateDirectory = Pick(parse, GlobalOptions.StateDirectory, "FIRELINE_STATE_DIR", config?.StateDir) ?? GlobalOptions.DefaultStateDirectory,
            HostNamespace = Pick(parse, GlobalOptions.HostNamespace, "FIRELINE_HOST_NETNS", config?.HostNetns),
            Socket = Pick(parse, GlobalOptions.Socket, "FIRELINE_SOCKET", config?.Socket),
            Config = config,
        };
    }

    /// <summary>The flag's value if given, else the environment variable's if set and not empty, else the file's.</summary>
    public static string? Pick(ParseResult parse, Option<string?> flag, string variable, string? fromFile)
        => parse.GetValue(flag)
           ?? (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null)
           ?? fromFile;

    /// <summary><c>--config</c> or <c>FIRELINE_CONFIG</c> must exist; the default file is optional.</summary>
    private static ConfigFile? LoadConfig(ParseResult parse)
    {
        var named = Pick(parse, GlobalOptions.Config, ConfigVariable, null);
        if (named is not null)
        {
            return ConfigFile.Load(named);
        }

        return File.Exists(GlobalOptions.DefaultConfig) ? ConfigFile.Load(GlobalOptions.DefaultConfig) : null;
    }
}
