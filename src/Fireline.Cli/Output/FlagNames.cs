using Fireline.Errors;

namespace Fireline.Cli.Output;

/// <summary>
/// The CLI's spelling of the fields domain messages name (<see cref="FieldReference"/>): each as the flag that sets
/// it, in this one place. A message reaches the CLI in the domain's terms, in-process or through the daemon alike,
/// so both print the same. A field no flag sets (a networks file's) is shown as the domain names it.
/// </summary>
internal static class FlagNames
{
    private static readonly Dictionary<string, string> ByField = new(StringComparer.Ordinal)
    {
        ["allowPrivilegedPort"] = "--allow-privileged-port",
        [DomainErrors.HostNamespaceField] = "--host-netns",
        ["hostPort"] = "--host-port",
        ["ipv6Prefix"] = "--ipv6-prefix",
        ["protocol"] = "--proto",
        ["prune"] = "--prune",
        ["uplink"] = "--uplink",
        ["vmPort"] = "--vm-port",
    };

    /// <summary>The message with each field it names spelled as its flag.</summary>
    public static string Spell(string message) => FieldReference.Respell(message, field => ByField.GetValueOrDefault(field));
}
