namespace Fireline.TestSupport;

/// <summary>The repository the tests run from (the directory holding Fireline.slnx).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Fireline.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Fireline.slnx not found above {AppContext.BaseDirectory}");
    }
}
