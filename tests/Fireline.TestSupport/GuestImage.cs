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

    /// <summary>The test host's initramfs (Fireline on Debian's kernel), which <c>guest/build-host.sh</c> builds; see <see cref="BuildHost"/>.</summary>
    public static string HostInitrd => Path.Combine(OutDirectory.Value, "host-initrd.img");

    /// <summary>
    /// Builds (or finds up to date) <see cref="HostInitrd"/> around the published <c>fireline</c> at
    /// <paramref name="fireline"/>, with the project's own script: the binary under test changes with every build.
    /// </summary>
    public static void BuildHost(string fireline)
        => Tool.Run(Path.Combine(Repository.Root, "guest", "build-host.sh"), Path.GetDirectoryName(Path.GetFullPath(fireline))!);

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
