using System.Globalization;
using Fireline.Addressing;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Cni;

/// <summary>
/// The CNI parameters the runtime passes in the environment, checked for the verb that needs them: a variable that is
/// missing or invalid is error 4 naming it. <c>CNI_ARGS</c> keys the plugin does not know are ignored (no
/// <c>IgnoreUnknown</c> needed); tc-redirect-tap's <c>TC_REDIRECT_TAP_NAME</c>, <c>_UID</c> and <c>_GID</c> are taken.
/// </summary>
internal sealed record CniEnvironment
{
    public const string TapNameArg = "TC_REDIRECT_TAP_NAME";
    public const string TapUidArg = "TC_REDIRECT_TAP_UID";
    public const string TapGidArg = "TC_REDIRECT_TAP_GID";

    public required string? Command { get; init; }

    public string? ContainerId { get; init; }

    public string? Netns { get; init; }

    public string? IfName { get; init; }

    public string? Args { get; init; }

    /// <summary>The environment as the process got it.</summary>
    public static CniEnvironment FromProcess() => From(Environment.GetEnvironmentVariable);

    public static CniEnvironment From(Func<string, string?> variable) => new()
    {
        Command = variable("CNI_COMMAND"),
        ContainerId = variable("CNI_CONTAINERID"),
        Netns = variable("CNI_NETNS"),
        IfName = variable("CNI_IFNAME"),
        Args = variable("CNI_ARGS"),
    };

    /// <summary><c>CNI_CONTAINERID</c>: the spec's rules (those of a Fireline VM id), at most 64 characters.</summary>
    public string RequireContainerId()
    {
        var value = Require("CNI_CONTAINERID", ContainerId);
        return VmId.IsValid(value) ? value
            : throw Invalid("CNI_CONTAINERID", $"{Quote(value)} is not a container id Fireline takes: 1-{VmId.MaxLength} characters of letters, digits, '_', '.', '-', starting with a letter or digit");
    }

    /// <summary><c>CNI_IFNAME</c>: a Linux interface name (1-15 bytes, no '/', ':' or white space).</summary>
    public string RequireIfName()
    {
        var value = Require("CNI_IFNAME", IfName);
        return LinkName.IsValid(value) ? value : throw Invalid("CNI_IFNAME", $"{Quote(value)} is not an interface name: 1-{LinkName.MaxBytes} bytes, no '/', ':' or white space");
    }

    /// <summary><c>CNI_NETNS</c>: an absolute path (the daemon checks it is a network namespace).</summary>
    public string RequireNetns()
    {
        var value = Require("CNI_NETNS", Netns);
        return value.StartsWith('/') ? value : throw Invalid("CNI_NETNS", $"{Quote(value)} is not an absolute path to a network namespace");
    }

    /// <summary>The TAP's name, owner and group from <c>CNI_ARGS</c> (tc-redirect-tap's keys); null for each not given.</summary>
    public (string? Name, uint? Uid, uint? Gid) TapArgs()
    {
        var args = ParseArgs(Args);
        return (args.GetValueOrDefault(TapNameArg) is { } name ? Tap(name) : null, Id(args, TapUidArg), Id(args, TapGidArg));
    }

    /// <summary>
    /// <c>CNI_ARGS</c>, <c>K=V;K2=V2</c>, as the reference runtime reads it: a pair without '=' is an error; a key given
    /// twice takes its last value.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseArgs(string? args)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(args))
        {
            return pairs;
        }

        foreach (var pair in args.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw Invalid("CNI_ARGS", $"{Quote(pair)} is not a KEY=VALUE pair");
            }

            pairs[pair[..at]] = pair[(at + 1)..];
        }

        return pairs;
    }

    private static string Tap(string name)
        => LinkName.IsValid(name) ? name : throw Invalid("CNI_ARGS", $"{TapNameArg} {Quote(name)} is not an interface name: 1-{LinkName.MaxBytes} bytes, no '/', ':' or white space");

    private static uint? Id(IReadOnlyDictionary<string, string> args, string key)
        => args.GetValueOrDefault(key) is not { } text ? null
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
            : throw Invalid("CNI_ARGS", $"{key} {Quote(text)} is not a user or group id (a number)");

    private static string Require(string name, string? value)
        => string.IsNullOrEmpty(value) ? throw Invalid(name, "it is missing; this command needs it") : value;

    private static CniException Invalid(string name, string why) => new(CniCodes.InvalidEnvironment, $"invalid {name}", $"{name}: {why}");

    internal static string Quote(string text) => Fireline.Errors.UserText.Quote(text);
}
