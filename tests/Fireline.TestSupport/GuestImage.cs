namespace Fireline.TestSupport;

/// <summary>
/// The guest that <c>guest/build.sh</c> builds into <c>guest/out/</c>: a Debian cloud kernel and a busybox
/// initramfs whose /init reads Fireline's <c>ip=</c> argument and runs a probe (guest/README.md).
/// </summary>
public static class GuestImage
{
    private static readonly Lazy<string> OutDirectory = new(Locate);

    public static string Kernel => Path.Combine(OutDirectory.Value, "vmlinuz");

    public static string Initrd => Path.Combine(OutDirectory.Value, "initrd.img");

    /// <summary>guest/out of the checkout these tests were built from (the directory above them with Fireline.slnx).</summary>
    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Fireline.slnx")))
            {
                var output = Path.Combine(directory.FullName, "guest", "out");
                if (!File.Exists(Path.Combine(output, "vmlinuz")) || !File.Exists(Path.Combine(output, "initrd.img")))
                {
                    throw new InvalidOperationException($"no guest in {output}: build it with guest/build.sh (scripts/setup.sh runs it)");
                }

                return output;
            }
        }

        throw new InvalidOperationException($"no Fireline.slnx above {AppContext.BaseDirectory}: cannot find guest/out");
    }
}
