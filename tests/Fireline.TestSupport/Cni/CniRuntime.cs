using System.Text.Json;

namespace Fireline.TestSupport.Cni;

/// <summary>
/// Plays a CNI runtime: runs the published plugin (<see cref="PluginPath"/>) with the spec's environment and a network
/// configuration on stdin, as libcni does, and reads its one JSON document from stdout.
/// </summary>
public sealed class CniRuntime(string socket, string cniNetwork = "fireline-test")
{
    /// <summary>
    /// The plugin: <c>FIRELINE_CNI</c>, or next to the published <c>fireline</c> (<c>FIRELINE_CLI</c>'s
    /// <c>../fireline-cni/fireline-cni</c>), or the solution's build of it.
    /// </summary>
    public static string PluginPath { get; } = Locate();

    public string Socket { get; } = socket;

    public string CniNetwork { get; } = cniNetwork;

    /// <summary>The plugin's configuration: <c>{cniVersion, name, type: fireline, socket}</c> and <paramref name="extra"/> (JSON members).</summary>
    public string Config(string version = "1.1.0", string extra = "")
        => $$"""{"cniVersion":"{{version}}","name":"{{CniNetwork}}","type":"fireline","socket":{{JsonSerializer.Serialize(Socket)}}{{(extra.Length > 0 ? "," + extra : "")}}}""";

    /// <summary>One plugin run; a null variable is left out of the environment.</summary>
    public CniAnswer Run(string? command, string config, string? containerId = null, string? netns = null, string? ifName = null, string? args = null,
        string? plugin = null)
    {
        var environment = new Dictionary<string, string>();
        foreach (var (name, value) in new[] { ("CNI_COMMAND", command), ("CNI_CONTAINERID", containerId), ("CNI_NETNS", netns), ("CNI_IFNAME", ifName), ("CNI_ARGS", args), ("CNI_PATH", "/usr/lib/cni") })
        {
            if (value is not null)
            {
                environment[name] = value;
            }
        }

        var result = Tool.TryRun(plugin ?? PluginPath, [], TimeSpan.FromSeconds(120), config, environment);
        return new CniAnswer(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public CniAnswer Add(string containerId, string netns, string ifName = "eth0", string version = "1.1.0", string extra = "", string? args = null)
        => Run("ADD", Config(version, extra), containerId, netns, ifName, args);

    public CniAnswer Delete(string containerId, string? netns, string ifName = "eth0", string version = "1.1.0", string? prevResult = null)
        => Run("DEL", prevResult is null ? Config(version) : Config(version, $"\"prevResult\":{prevResult}"), containerId, netns, ifName);

    public CniAnswer Check(string containerId, string netns, string prevResult, string ifName = "eth0", string version = "1.1.0")
        => Run("CHECK", Config(version, $"\"prevResult\":{prevResult}"), containerId, netns, ifName);

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("FIRELINE_CNI") is { Length: > 0 } configured)
        {
            return configured;
        }

        if (Environment.GetEnvironmentVariable("FIRELINE_CLI") is { Length: > 0 } cli &&
            Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(cli)!)!, "fireline-cni", "fireline-cni") is var published && File.Exists(published))
        {
            return published;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
        var path = Path.Combine(Repository.Root, "src", "Fireline.Cni", "bin", configuration, "net10.0", "fireline-cni");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first");
    }
}

/// <summary>What a plugin run printed and its exit code; an error's CNI code when it failed.</summary>
public sealed record CniAnswer(int ExitCode, string StandardOutput, string StandardError)
{
    public JsonElement Json => JsonDocument.Parse(StandardOutput).RootElement;

    /// <summary>The error code of a failed run (exit code non-zero and the spec's error JSON on stdout).</summary>
    public int Code => ExitCode != 0 ? Json.GetProperty("code").GetInt32() : throw new InvalidOperationException($"the run succeeded: {StandardOutput}");

    /// <summary>The successful run's stdout, or a failure that says what the plugin answered.</summary>
    public CniAnswer Succeeded() => ExitCode == 0 ? this : throw new InvalidOperationException($"plugin exited {ExitCode}: {StandardOutput} {StandardError}");
}
