namespace Fireline.TestSupport;

/// <summary>
/// The [Service] section of a systemd unit file, and how to start a command the way systemd would start it with
/// that section, on a machine where systemd does not run: <see cref="Launcher"/> applies what the kernel can be
/// asked for with ordinary tools. Settings systemd enforces with seccomp (RestrictAddressFamilies=, ...) are not
/// emulated.
/// </summary>
public sealed class SystemdUnit
{
    /// <summary>
    /// Settings that give a service a mount namespace of its own. systemd makes it a slave of the host's before
    /// setting it up (mount --make-rslave /, then --make-rshared /), so mounts made in it never reach the host.
    /// </summary>
    public static readonly IReadOnlyList<string> MountNamespaceSettings =
    [
        "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices", "PrivateMounts", "ProtectKernelTunables",
        "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "ProtectProc", "ProcSubset", "ProtectHostname",
        "ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths", "ExecPaths", "NoExecPaths", "BindPaths", "BindReadOnlyPaths",
        "TemporaryFileSystem", "MountFlags", "RootDirectory", "RootImage",
    ];

    private readonly Dictionary<string, List<string>> _service;

    private SystemdUnit(Dictionary<string, List<string>> service) => _service = service;

    /// <summary>Reads the [Service] section; a setting given more than once keeps every value, in order.</summary>
    public static SystemdUnit Load(string path)
    {
        var service = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? section = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                section = line;
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (section == "[Service]" && equals > 0)
            {
                var key = line[..equals].Trim();
                if (!service.TryGetValue(key, out var values))
                {
                    service[key] = values = [];
                }

                values.Add(line[(equals + 1)..].Trim());
            }
        }

        return new SystemdUnit(service);
    }

    /// <summary>Every value of a setting, each split at spaces (CapabilityBoundingSet=CAP_A CAP_B).</summary>
    public IReadOnlyList<string> Values(string key)
        => _service.TryGetValue(key, out var values) ? [.. values.SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries))] : [];

    public bool IsOn(string key) => Values(key) is [var value] && value is "yes" or "true" or "on" or "1";

    /// <summary>The capabilities in CapabilityBoundingSet=, as setpriv and /proc name them: <c>net_admin</c>.</summary>
    public IReadOnlyList<string> BoundingSet => [.. Values("CapabilityBoundingSet").Select(c => c.ToLowerInvariant().Replace("cap_", "", StringComparison.Ordinal))];

    /// <summary>
    /// The command to prepend to the service's own: the process joins <paramref name="deviceCgroup"/> (see
    /// <see cref="DeviceCgroup"/>) when given; gets a systemd-style private mount namespace when the unit has a
    /// <see cref="MountNamespaceSettings">setting that makes one</see>; then runs with the unit's capability bounding
    /// set and NoNewPrivileges=.
    /// </summary>
    public IReadOnlyList<string> Launcher(DeviceCgroup? deviceCgroup)
    {
        var command = new List<string>();
        if (deviceCgroup is not null)
        {
            command.AddRange(["sh", "-c", $"echo $$ > {deviceCgroup.Path}/cgroup.procs && exec \"$@\"", "sh"]);
        }

        if (MountNamespaceSettings.Any(_service.ContainsKey))
        {
            command.AddRange(["unshare", "--mount", "--propagation", "unchanged", "--",
                "sh", "-c", "mount --make-rslave / && mount --make-rshared / && exec \"$@\"", "sh"]);
        }

        command.Add("setpriv");
        if (IsOn("NoNewPrivileges"))
        {
            command.Add("--no-new-privs");
        }

        if (BoundingSet.Count > 0)
        {
            command.AddRange(["--bounding-set", "-all," + string.Join(',', BoundingSet.Select(c => "+" + c))]);
        }

        command.Add("--");
        return command;
    }
}
