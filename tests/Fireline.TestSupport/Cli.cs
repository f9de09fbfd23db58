namespace Fireline.TestSupport;

/// <summary>
/// The <c>fireline</c> executable the solution built (same configuration as the tests), or the one
/// <c>FIRELINE_CLI</c> names (the NativeAOT publish, in CI). Tests drive it as a user would.
/// </summary>
public static class Cli
{
    public static string Path { get; } = Locate();

    public static Tool.Result Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
        => Tool.TryRun(Path, arguments, TimeSpan.FromSeconds(120), environment: environment);

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("FIRELINE_CLI") is { Length: > 0 } configured)
        {
            return configured;
        }

        // tests/<project>/bin/<Configuration>/net10.0/ -> src/Fireline.Cli/bin/<Configuration>/net10.0/fireline
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
        var path = System.IO.Path.Combine(Repository.Root, "src", "Fireline.Cli", "bin", configuration, "net10.0", "fireline");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first");
    }
}
